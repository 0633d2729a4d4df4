package io.sextant.shared.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.platform.http.DomainProblems;
import io.sextant.shared.problem.DomainException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class CursorsTest {

    @Property
    void a_cursor_decodes_to_the_position_it_encodes(
            @ForAll @AlphaChars @NumericChars @Chars({'-', ':', '.', '|', ' '}) @StringLength(min = 1, max = 80)
                    String position) {
        assertThat(Cursors.decode(Cursors.encode(position))).isEqualTo(position);
    }

    @Test
    void an_id_cursor_round_trips_and_a_forged_one_is_400() {
        UUID id = UUID.randomUUID();
        assertThat(Cursors.decodeId(Cursors.encode(id.toString()))).isEqualTo(id);
        assertThat(Cursors.decodeId(null)).isNull();
        assertThatThrownBy(() -> Cursors.decodeId(Cursors.encode("not-an-id")))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        e -> assertThat(DomainProblems.status(e).value()).isEqualTo(400));
        assertThatThrownBy(() -> Cursors.decodeId("%%%"))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        e -> assertThat(DomainProblems.status(e).value()).isEqualTo(400));
    }

    @Test
    void a_cursor_whose_bytes_are_not_text_a_query_could_take_is_400() {
        // What a fuzzer sent: base64 of two NUL bytes before a JSON object. PostgreSQL refuses a NUL
        // in text, which surfaced as a 500 from the workflow definitions list.
        List<String> forged = List.of(
                "AAB7IngiOjF9",
                Base64.getUrlEncoder().withoutPadding().encodeToString("key\u0001".getBytes(StandardCharsets.UTF_8)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {(byte) 0xC3, 0x28}),
                Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {(byte) 0xFF}));
        for (String cursor : forged) {
            assertThatThrownBy(() -> Cursors.decode(cursor))
                    .as(cursor)
                    .isInstanceOfSatisfying(
                            DomainException.class,
                            e -> assertThat(DomainProblems.status(e).value()).isEqualTo(400));
        }
        assertThat(Cursors.decode(Cursors.encode("zone-patrol"))).isEqualTo("zone-patrol");
        assertThat(Cursors.decode(Cursors.encode("Zürich|2026"))).isEqualTo("Zürich|2026");
    }

    @Property
    void a_page_built_from_a_lookahead_has_a_next_cursor_exactly_when_rows_remain(
            @ForAll @IntRange(min = 0, max = 30) int rows, @ForAll @IntRange(min = 1, max = 10) int limit) {
        List<Integer> fetched =
                IntStream.range(0, Math.min(rows, limit + 1)).boxed().toList();
        CursorPage<Integer> page = CursorPage.fromLookahead(fetched, limit, String::valueOf);
        assertThat(page.items()).hasSize(Math.min(rows, limit));
        if (rows > limit) {
            assertThat(Cursors.decode(page.nextCursor())).isEqualTo(String.valueOf(limit - 1));
        } else {
            assertThat(page.nextCursor()).isNull();
        }
    }
}
