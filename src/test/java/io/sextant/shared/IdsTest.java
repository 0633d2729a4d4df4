package io.sextant.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class IdsTest {

    @Property
    void an_id_is_a_version_7_uuid_carrying_its_creation_millisecond(
            @ForAll @LongRange(min = 0, max = 0xFFFF_FFFF_FFFFL) long millis) {
        UUID id = Ids.newId(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
    }

    @Property
    void ids_of_a_later_millisecond_sort_after_ids_of_an_earlier_one(
            @ForAll @LongRange(min = 0, max = 0xFFFF_FFFF_FFFEL) long millis) {
        UUID earlier = Ids.newId(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
        UUID later = Ids.newId(Clock.fixed(Instant.ofEpochMilli(millis + 1), ZoneOffset.UTC));
        // PostgreSQL orders uuid values bytewise, i.e. as unsigned numbers: compare the same way.
        assertThat(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits()))
                .isNegative();
    }

    @org.junit.jupiter.api.Test
    void ids_made_in_one_process_strictly_increase_even_within_a_millisecond() {
        UUID previous = Ids.newId();
        for (int i = 0; i < 20_000; i++) {
            UUID next = Ids.newId();
            assertThat(next.version()).isEqualTo(7);
            assertThat(next.variant()).isEqualTo(2);
            assertThat(Long.compareUnsigned(next.getMostSignificantBits(), previous.getMostSignificantBits()))
                    .isPositive();
            previous = next;
        }
    }
}
