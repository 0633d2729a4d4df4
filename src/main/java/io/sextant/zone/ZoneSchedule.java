package io.sextant.zone;

import io.sextant.shared.access.ActivePeriod;
import io.sextant.shared.problem.FieldError;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * When a zone is active: weekly windows of wall-clock time in a time zone, optionally only between
 * two instants. Windows are read on the local clock, so they follow daylight-saving time: a window
 * 08:00–18:00 in Europe/Berlin is 07:00–17:00 UTC in winter and 06:00–16:00 UTC in summer; on the
 * night the clocks go forward a window starting in the skipped hour starts when the clocks jump, and
 * on the night they go back the repeated hour is inside a window both times.
 *
 * @param windows the weekly windows; empty means all week
 * @param timeZone the IANA time zone the windows are read in
 * @param validFrom the first instant the zone is active, or {@code null}
 * @param validUntil the first instant it is no longer active (exclusive), or {@code null}
 */
public record ZoneSchedule(
        List<Window> windows,
        ZoneId timeZone,
        @Nullable Instant validFrom,
        @Nullable Instant validUntil) implements ActivePeriod {

    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    /**
     * A schedule as the API writes it ({@code {"timeZone": …, "windows": [{"days": […], "from": …,
     * "to": …}], "validFrom": …, "validUntil": …}}), for other modules that take one (an access
     * grant's acting hours); every fault is added to {@code errors} with its path under {@code
     * schedule}.
     */
    public static @Nullable ZoneSchedule read(JsonNode schedule, List<FieldError> errors) {
        return ZoneJson.schedule(schedule, errors);
    }

    /** @throws IllegalArgumentException if {@code validUntil} is not after {@code validFrom} */
    public ZoneSchedule {
        windows = List.copyOf(windows);
        if (validFrom != null && validUntil != null && !validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("validUntil must be after validFrom");
        }
    }

    /** Whether the zone is active at {@code t}. */
    @Override
    public boolean isActive(Instant t) {
        if ((validFrom != null && t.isBefore(validFrom)) || (validUntil != null && !t.isBefore(validUntil))) {
            return false;
        }
        if (windows.isEmpty()) {
            return true;
        }
        ZoneRules rules = timeZone.getRules();
        long localSeconds = t.getEpochSecond() + rules.getOffset(t).getTotalSeconds();
        long localDay = Math.floorDiv(localSeconds, 86_400);
        long nanoOfDay = Math.floorMod(localSeconds, 86_400) * 1_000_000_000L + t.getNano();
        // 1970-01-01, local day 0, was a Thursday.
        DayOfWeek today = DayOfWeek.of((int) Math.floorMod(localDay + 3, 7) + 1);
        DayOfWeek yesterday = today.minus(1);
        for (Window window : windows) {
            if (window.covers(today, yesterday, nanoOfDay)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A weekly window of local time: on each of {@code days}, from {@code from} (inclusive) to
     * {@code to} (exclusive). When {@code to} is not after {@code from}, the window runs past midnight
     * and ends at {@code to} the next day (so {@code from == to} is 24 hours, and {@code to} 00:00
     * means until midnight).
     */
    public record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

        /** @throws IllegalArgumentException if there are no days */
        public Window {
            if (days.isEmpty()) {
                throw new IllegalArgumentException("a window needs at least one day");
            }
            days = Collections.unmodifiableSet(EnumSet.copyOf(days));
        }

        /** Whether the window runs past midnight into the next day. */
        public boolean crossesMidnight() {
            return !to.isAfter(from);
        }

        boolean covers(DayOfWeek today, DayOfWeek yesterday, long nanoOfDay) {
            long start = from.toNanoOfDay();
            long end = to.toNanoOfDay();
            if (end > start) {
                return days.contains(today) && nanoOfDay >= start && nanoOfDay < end;
            }
            return (days.contains(today) && nanoOfDay >= start && nanoOfDay < NANOS_PER_DAY)
                    || (days.contains(yesterday) && nanoOfDay < end);
        }
    }
}
