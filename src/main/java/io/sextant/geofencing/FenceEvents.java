package io.sextant.geofencing;

import io.sextant.asset.AssetSummary;
import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.zone.CompiledZone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The CloudEvents the fence engine emits, with the data documented in {@code docs/events.md}. */
final class FenceEvents {

    private FenceEvents() {}

    /** Where the asset was when the engine decided, the fix that confirmed the transition. */
    record FixData(
            Instant time, double lon, double lat, @Nullable Double accuracy) {}

    /**
     * Data of {@code sextant.zone.entered}, {@code .exited} and {@code .dwell}.
     *
     * @param enteredAt for an exit or a dwell: when the stay began
     * @param durationSeconds for an exit: how long the stay lasted; for a dwell: the dwell time
     * @param correction true when a correction (late data) asserts this transition after the fact
     */
    record ZoneTransitionData(
            UUID assetId,
            @Nullable String externalId,
            UUID zoneId,
            String zoneName,
            long zoneVersion,
            Instant time,
            @Nullable Instant enteredAt,
            @Nullable Long durationSeconds,
            @Nullable FixData position,
            boolean correction) {}

    /** One transition named in a correction. */
    record TransitionRef(UUID eventId, String type, Instant time) {}

    /** Data of {@code sextant.fence.corrected}. */
    record CorrectionData(
            UUID assetId,
            @Nullable String externalId,
            UUID zoneId,
            String zoneName,
            Instant lateFrom,
            List<TransitionRef> retracted,
            List<TransitionRef> asserted) {}

    static String type(Transition transition) {
        return switch (transition) {
            case Transition.Entered e -> EventTypes.ZONE_ENTERED;
            case Transition.Exited e -> EventTypes.ZONE_EXITED;
            case Transition.Dwelled d -> EventTypes.ZONE_DWELL;
        };
    }

    static NewEvent transition(
            CompiledZone zone,
            UUID assetId,
            @Nullable AssetSummary asset,
            Transition transition,
            @Nullable Instant enteredAt,
            @Nullable FixData fix,
            @Nullable Duration dwell,
            boolean correction) {
        Long duration = switch (transition) {
            case Transition.Exited e
            when enteredAt != null -> Duration.between(enteredAt, e.time()).toSeconds();
            case Transition.Dwelled d when dwell != null -> dwell.toSeconds();
            default -> null;
        };
        Instant stayBegan = transition instanceof Transition.Entered ? null : enteredAt;
        return new NewEvent(
                zone.tenantId(),
                type(transition),
                "/zones/" + zone.id(),
                assetId.toString(),
                transition.time(),
                assetId,
                zone.id(),
                asset == null ? List.of() : asset.tags(),
                zone.tags(),
                new ZoneTransitionData(
                        assetId,
                        asset == null ? null : asset.externalId(),
                        zone.id(),
                        zone.name(),
                        zone.version(),
                        transition.time(),
                        stayBegan,
                        duration,
                        fix,
                        correction));
    }

    static NewEvent correction(
            CompiledZone zone,
            UUID assetId,
            @Nullable AssetSummary asset,
            Instant lateFrom,
            List<TransitionRef> retracted,
            List<TransitionRef> asserted) {
        return new NewEvent(
                zone.tenantId(),
                EventTypes.FENCE_CORRECTED,
                "/zones/" + zone.id(),
                assetId.toString(),
                lateFrom,
                assetId,
                zone.id(),
                asset == null ? List.of() : asset.tags(),
                zone.tags(),
                new CorrectionData(
                        assetId,
                        asset == null ? null : asset.externalId(),
                        zone.id(),
                        zone.name(),
                        lateFrom,
                        retracted,
                        asserted));
    }
}
