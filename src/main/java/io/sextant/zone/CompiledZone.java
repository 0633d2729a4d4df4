package io.sextant.zone;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One version of a zone, ready for real-time fencing: what the fence engine needs and nothing it
 * would have to parse. Immutable and safe to share between threads.
 *
 * @param version the zone's version (its ETag); a change makes a new {@code CompiledZone}
 * @param tags the zone's lower-case tags
 * @param schedule when the zone is active; {@code null} for always
 */
public record CompiledZone(
        UUID id,
        UUID tenantId,
        long version,
        String name,
        List<String> tags,
        ZoneShape shape,
        @Nullable ZoneSchedule schedule,
        FenceSettings settings) {

    public CompiledZone {
        tags = List.copyOf(tags);
    }

    /** Whether the zone's schedule makes it active at {@code t}; always, without a schedule. */
    public boolean activeAt(Instant t) {
        return schedule == null || schedule.isActive(t);
    }
}
