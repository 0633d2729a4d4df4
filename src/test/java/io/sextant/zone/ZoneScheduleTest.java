package io.sextant.zone;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.sextant.zone.ZoneSchedule.Window;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZoneScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void a_weekday_window_follows_the_local_clock_in_winter_and_summer() {
        ZoneSchedule office = schedule(BERLIN, window(EnumSet.range(MONDAY, FRIDAY), "08:00", "18:00"));

        // Monday 12 January 2026, CET (UTC+1).
        assertThat(office.isActive(at("2026-01-12T06:59:59Z"))).isFalse();
        assertThat(office.isActive(at("2026-01-12T07:00:00Z"))).isTrue();
        assertThat(office.isActive(at("2026-01-12T16:59:59.999Z"))).isTrue();
        assertThat(office.isActive(at("2026-01-12T17:00:00Z"))).isFalse();
        // Monday 13 July 2026, CEST (UTC+2).
        assertThat(office.isActive(at("2026-07-13T05:59:59Z"))).isFalse();
        assertThat(office.isActive(at("2026-07-13T06:00:00Z"))).isTrue();
        assertThat(office.isActive(at("2026-07-13T16:00:00Z"))).isFalse();
        // Saturday.
        assertThat(office.isActive(at("2026-07-18T10:00:00Z"))).isFalse();
    }

    @Test
    void on_the_berlin_spring_forward_day_a_window_in_the_skipped_hour_starts_when_the_clocks_jump() {
        // Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        ZoneSchedule night = schedule(BERLIN, window(Set.of(SUNDAY), "02:30", "03:30"));

        assertThat(night.isActive(at("2026-03-29T00:59:59Z")))
                .as("01:59:59 CET")
                .isFalse();
        assertThat(night.isActive(at("2026-03-29T01:00:00Z"))).as("03:00 CEST").isTrue();
        assertThat(night.isActive(at("2026-03-29T01:29:59Z")))
                .as("03:29:59 CEST")
                .isTrue();
        assertThat(night.isActive(at("2026-03-29T01:30:00Z"))).as("03:30 CEST").isFalse();
    }

    @Test
    void on_the_berlin_fall_back_day_the_repeated_hour_is_inside_the_window_both_times() {
        // Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:00-03:00 happens twice.
        ZoneSchedule night = schedule(BERLIN, window(Set.of(SUNDAY), "02:00", "03:00"));

        assertThat(night.isActive(at("2026-10-24T23:59:59Z")))
                .as("01:59:59 CEST")
                .isFalse();
        assertThat(night.isActive(at("2026-10-25T00:00:00Z"))).as("02:00 CEST").isTrue();
        assertThat(night.isActive(at("2026-10-25T00:59:59Z")))
                .as("02:59:59 CEST")
                .isTrue();
        assertThat(night.isActive(at("2026-10-25T01:00:00Z"))).as("02:00 CET").isTrue();
        assertThat(night.isActive(at("2026-10-25T01:59:59Z")))
                .as("02:59:59 CET")
                .isTrue();
        assertThat(night.isActive(at("2026-10-25T02:00:00Z"))).as("03:00 CET").isFalse();
    }

    @Test
    void a_window_crossing_midnight_ends_the_next_morning_even_across_the_new_york_spring_forward() {
        // Saturday 7 March 2026 22:00 EST (03:00 UTC Sunday) to Sunday 06:00 EDT (10:00 UTC): 7 hours.
        ZoneSchedule overnight = schedule(NEW_YORK, window(Set.of(SATURDAY), "22:00", "06:00"));

        assertThat(overnight.isActive(at("2026-03-08T02:59:59Z")))
                .as("Sat 21:59:59 EST")
                .isFalse();
        assertThat(overnight.isActive(at("2026-03-08T03:00:00Z")))
                .as("Sat 22:00 EST")
                .isTrue();
        assertThat(overnight.isActive(at("2026-03-08T07:30:00Z")))
                .as("Sun 03:30 EDT")
                .isTrue();
        assertThat(overnight.isActive(at("2026-03-08T09:59:59Z")))
                .as("Sun 05:59:59 EDT")
                .isTrue();
        assertThat(overnight.isActive(at("2026-03-08T10:00:00Z")))
                .as("Sun 06:00 EDT")
                .isFalse();
        assertThat(overnight.isActive(at("2026-03-09T03:00:00Z")))
                .as("Sun 23:00 EDT, not a Saturday")
                .isFalse();
    }

    @Test
    void a_window_crossing_midnight_on_the_new_york_fall_back_night_lasts_an_hour_longer() {
        // Saturday 31 October 2026 22:00 EDT (02:00 UTC) to Sunday 06:00 EST (11:00 UTC): 9 hours.
        ZoneSchedule overnight = schedule(NEW_YORK, window(Set.of(SATURDAY), "22:00", "06:00"));

        assertThat(overnight.isActive(at("2026-11-01T01:59:59Z"))).isFalse();
        assertThat(overnight.isActive(at("2026-11-01T02:00:00Z"))).isTrue();
        assertThat(overnight.isActive(at("2026-11-01T10:59:59Z")))
                .as("Sun 05:59:59 EST")
                .isTrue();
        assertThat(overnight.isActive(at("2026-11-01T11:00:00Z")))
                .as("Sun 06:00 EST")
                .isFalse();
    }

    @Test
    void a_window_ending_at_midnight_or_lasting_a_whole_day_crosses_midnight() {
        ZoneSchedule evening = schedule(ZoneId.of("UTC"), window(Set.of(FRIDAY), "18:00", "00:00"));
        ZoneSchedule allDay = schedule(ZoneId.of("UTC"), window(Set.of(FRIDAY), "06:00", "06:00"));

        assertThat(evening.windows().getFirst().crossesMidnight()).isTrue();
        assertThat(evening.isActive(at("2026-01-16T23:59:59Z"))).isTrue();
        assertThat(evening.isActive(at("2026-01-17T00:00:00Z"))).isFalse();
        assertThat(allDay.isActive(at("2026-01-16T06:00:00Z"))).isTrue();
        assertThat(allDay.isActive(at("2026-01-17T05:59:59Z"))).isTrue();
        assertThat(allDay.isActive(at("2026-01-17T06:00:00Z"))).isFalse();
    }

    @Test
    void the_validity_interval_bounds_the_windows_and_alone_means_always_within_it() {
        ZoneSchedule season =
                new ZoneSchedule(List.of(), BERLIN, at("2026-06-01T00:00:00Z"), at("2026-09-01T00:00:00Z"));

        assertThat(season.isActive(at("2026-05-31T23:59:59Z"))).isFalse();
        assertThat(season.isActive(at("2026-06-01T00:00:00Z"))).isTrue();
        assertThat(season.isActive(at("2026-08-31T23:59:59Z"))).isTrue();
        assertThat(season.isActive(at("2026-09-01T00:00:00Z")))
                .as("validUntil is exclusive")
                .isFalse();
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        new ZoneSchedule(List.of(), BERLIN, at("2026-06-01T00:00:00Z"), at("2026-06-01T00:00:00Z")));
    }

    @Test
    void a_zone_without_a_schedule_is_always_active() {
        CompiledZone zone = new CompiledZone(
                java.util.UUID.randomUUID(),
                java.util.UUID.randomUUID(),
                1,
                "always",
                List.of(),
                Shapes.circle(0, 0, 10),
                null,
                FenceSettings.DEFAULTS);

        assertThat(zone.activeAt(Instant.EPOCH)).isTrue();
        assertThat(zone.activeAt(at("2100-01-01T00:00:00Z"))).isTrue();
    }

    private static ZoneSchedule schedule(ZoneId zone, Window window) {
        return new ZoneSchedule(List.of(window), zone, null, null);
    }

    private static Window window(Set<DayOfWeek> days, String from, String to) {
        return new Window(days, LocalTime.parse(from), LocalTime.parse(to));
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
