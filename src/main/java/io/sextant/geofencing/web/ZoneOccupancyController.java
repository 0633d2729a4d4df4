package io.sextant.geofencing.web;

import io.sextant.geofencing.ZoneOccupancy;
import io.sextant.tracking.Position;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Zones")
class ZoneOccupancyController {

    private final ZoneOccupancy occupancy;

    ZoneOccupancyController(ZoneOccupancy occupancy) {
        this.occupancy = occupancy;
    }

    @GetMapping("/api/v1/zones/{id}/occupants")
    @PreAuthorize("hasAuthority('zones:read')")
    @Operation(
            operationId = "listZoneOccupants",
            summary = "The assets inside a zone now (from its enter to its exit event), with their latest positions",
            description = "Needs positions:read as well. Only assets whose latest position the caller may see are"
                    + " listed; a zone the caller"
                    + " cannot read is 404.")
    Occupants occupants(@PathVariable UUID id) {
        List<Occupant> occupants = occupancy.occupants(id).stream()
                .map(o -> new Occupant(o.assetId(), o.since(), Located.of(o.position())))
                .toList();
        return new Occupants(id, occupants.size(), occupants);
    }

    record Occupants(UUID zoneId, int count, List<Occupant> occupants) {}

    record Occupant(UUID assetId, @Nullable Instant since, Located position) {}

    record Located(double lon, double lat, Instant time) {
        static Located of(Position position) {
            return new Located(position.lon(), position.lat(), position.eventTime());
        }
    }
}
