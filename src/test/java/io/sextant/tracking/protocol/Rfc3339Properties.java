package io.sextant.tracking.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The fast timestamp reader answers exactly as {@link OffsetDateTime#parse}, on good and bad text. */
class Rfc3339Properties {

    @Property(tries = 5000)
    void a_timestamp_of_any_offset_and_precision_reads_as_offset_date_time_reads_it(@ForAll("timestamps") String text) {
        assertSameAsReference(text);
    }

    @Property(tries = 5000)
    void a_timestamp_with_one_character_changed_reads_or_fails_as_offset_date_time_does(
            @ForAll("timestamps") String text, @ForAll("positions") int position, @ForAll("characters") char c) {
        int at = position % text.length();
        assertSameAsReference(text.substring(0, at) + c + text.substring(at + 1));
    }

    @Property(tries = 2000)
    void a_timestamp_cut_short_or_run_on_reads_or_fails_as_offset_date_time_does(
            @ForAll("timestamps") String text, @ForAll("positions") int cut) {
        assertSameAsReference(text.substring(0, cut % (text.length() + 1)));
        assertSameAsReference(text + "0");
    }

    @Test
    void the_edges_read_as_offset_date_time_reads_them() {
        for (String text : new String[] {
            "2026-12-03T10:15:30Z",
            "2026-12-03t10:15:30z",
            "2024-02-29T23:59:59.999999999+18:00",
            "2023-02-29T00:00:00Z",
            "2026-12-03T24:00:00Z",
            "2026-12-03T10:15:60Z",
            "2026-12-03T10:15:30.Z",
            "2026-12-03T10:15:30.1234567891Z",
            "2026-12-03T10:15:30+19:00",
            "2026-12-03T10:15:30-18:01",
            "2026-12-03T10:15:30+01:30:15",
            "+12026-12-03T10:15:30Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999-18:00",
            "2026-12-03 10:15:30Z",
            "2026-12-03T10:15Z",
            ""
        }) {
            assertSameAsReference(text);
        }
    }

    private static void assertSameAsReference(String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            assertThatThrownBy(() -> Rfc3339.parse(text)).as(text).isInstanceOf(e.getClass());
            return;
        }
        assertThat(Rfc3339.parse(text)).as(text).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<Instant> instants = Arbitraries.longs()
                .between(
                        Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("9998-12-31T00:00:00Z").getEpochSecond())
                .flatMap(seconds -> Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
        Arbitrary<ZoneOffset> offsets = Arbitraries.integers()
                .between(-18 * 60, 18 * 60)
                .map(minutes -> ZoneOffset.ofTotalSeconds(minutes * 60));
        Arbitrary<Integer> digits = Arbitraries.integers().between(0, 9);
        return Combinators.combine(instants, offsets, digits).as((instant, offset, precision) -> {
            OffsetDateTime time = instant.atOffset(offset);
            String pattern = "uuuu-MM-dd'T'HH:mm:ss" + (precision == 0 ? "" : "." + "S".repeat(precision)) + "XXX";
            return time.format(DateTimeFormatter.ofPattern(pattern));
        });
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 40);
    }

    @Provide
    Arbitrary<Character> characters() {
        return Arbitraries.of('0', '5', '9', ':', '-', '+', '.', 'T', 't', 'Z', 'z', ' ', 'x', '1', '2', '3');
    }
}
