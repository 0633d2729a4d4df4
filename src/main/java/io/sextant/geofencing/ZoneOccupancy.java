package io.sextant.geofencing;

import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.tracking.Position;
import io.sextant.tracking.PositionQueries;
import io.sextant.zone.Zones;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who is inside a zone now, as fence evaluation last confirmed it (hysteresis and margins
 * included: an asset counts from its enter event to its exit event). Narrowed twice by the caller's
 * grants: the zone must be one the caller reads (else 404, like a missing zone), and an occupant is
 * listed only when the caller may see its latest position.
 */
@Service
public class ZoneOccupancy {

    private final Zones zones;
    private final FenceStore store;
    private final PositionQueries positions;

    ZoneOccupancy(Zones zones, FenceStore store, PositionQueries positions) {
        this.zones = zones;
        this.store = store;
        this.positions = positions;
    }

    /** An asset inside the zone since {@code since} (null: since before times were kept), where it is now. */
    public record Occupant(UUID assetId, @Nullable Instant since, Position position) {}

    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public List<Occupant> occupants(UUID zoneId) {
        zones.get(zoneId);
        List<FenceStore.Occupant> inside = store.occupants(TenantContext.require(), zoneId);
        Map<UUID, Position> seen = positions.latestReached(
                inside.stream().map(FenceStore.Occupant::assetId).toList());
        List<Occupant> occupants = new ArrayList<>();
        for (FenceStore.Occupant o : inside) {
            Position position = seen.get(o.assetId());
            if (position != null) {
                occupants.add(new Occupant(o.assetId(), o.since(), position));
            }
        }
        return occupants;
    }
}
