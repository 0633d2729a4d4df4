package io.sextant.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/** The bound on denied-request entries: per caller and in total, per minute. */
class AuditLogDenialsTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));

    @Test
    void a_caller_gets_at_most_its_bound_per_minute_and_again_the_next_minute() {
        AuditLogDenials denials = denials(3, 1000);

        assertThat(admitted(denials, "user:a", 10)).isEqualTo(3);
        assertThat(admitted(denials, "user:b", 10)).isEqualTo(3);

        clock.advance(Duration.ofSeconds(59));
        assertThat(admitted(denials, "user:a", 10)).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(admitted(denials, "user:a", 10)).isEqualTo(3);
    }

    @Test
    void all_callers_together_get_at_most_the_total_bound_per_minute() {
        AuditLogDenials denials = denials(5, 12);

        int admitted = IntStream.range(0, 100)
                .map(i -> admitted(denials, "address:10.0.0." + i, 5))
                .sum();

        assertThat(admitted).isEqualTo(12);
    }

    @Test
    void callers_beyond_the_counted_number_share_one_bound() {
        AuditLogDenials denials = denials(2, Integer.MAX_VALUE);
        for (int i = 0; i < AuditLogDenials.MAX_COUNTED_CALLERS; i++) {
            assertThat(denials.admit("address:" + i)).isTrue();
        }

        int admitted = IntStream.range(0, 50)
                .map(i -> admitted(denials, "address:new-" + i, 1))
                .sum();

        assertThat(admitted).isEqualTo(2);
    }

    private static int admitted(AuditLogDenials denials, String caller, int calls) {
        return (int)
                IntStream.range(0, calls).filter(i -> denials.admit(caller)).count();
    }

    private AuditLogDenials denials(int perCaller, int total) {
        return new AuditLogDenials(
                null,
                new AuditLogProperties(perCaller, total),
                new DataSourceTransactionManager(),
                JsonMapper.builder().build(),
                clock,
                new SimpleMeterRegistry());
    }

    private static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
