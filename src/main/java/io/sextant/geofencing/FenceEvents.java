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

    /** One stored fix: where the asset was at {@code time}. */
    record FixData(
            Instant time, double lon, double lat, @Nullable Double accuracy) {}

    /**
     * What a zone event says about its transition: everything in its data but the asset, the zone
     * and the correction flag. A pure function of the transition and the fix at its time, so an
     * event asserted by a correction says exactly what a replay of every fix from scratch would.
     *
     * @param enteredAt for an exit or a dwell: when the stay began
     * @param durationSeconds for an exit: how long the stay lasted; for a dwell: the dwell time
     * @param position for an enter or an exit: the fix at {@code time}, the first one on the new
     *     side; none for a dwell, which is dated between fixes (or by the timer, with none at all)
     */
    record TransitionFacts(
            String type,
            Instant time,
            @Nullable Instant enteredAt,
            @Nullable Long durationSeconds,
            @Nullable FixData position) {}

    /**
     * Data of {@code sextant.zone.entered}, {@code .exited} and {@code .dwell}; see {@link
     * TransitionFacts} for the fields they share.
     *
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

    /** The time of the fix an event about the transition shows as its {@code position}, if any. */
    static @Nullable Instant positionTime(Transition transition) {
        return transition instanceof Transition.Dwelled ? null : transition.time();
    }

    /**
     * What an event about the transition says, given the fix at {@link #positionTime} (null when
     * there is none, or it is no longer stored).
     */
    static TransitionFacts facts(Transition transition, @Nullable FixData fix) {
        return switch (transition) {
            case Transition.Entered e -> new TransitionFacts(type(e), e.time(), null, null, fix);
            case Transition.Exited e ->
                new TransitionFacts(type(e), e.time(), e.enteredAt(), seconds(e.enteredAt(), e.time()), fix);
            case Transition.Dwelled d ->
                new TransitionFacts(type(d), d.time(), d.enteredAt(), seconds(d.enteredAt(), d.time()), null);
        };
    }

    private static long seconds(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds();
    }

    /**
     * An event announcing a transition.
     *
     * @param fix the fix at {@link #positionTime} of the transition, when it has one
     */
    static NewEvent transition(
            CompiledZone zone,
            UUID assetId,
            @Nullable AssetSummary asset,
            Transition transition,
            @Nullable FixData fix,
            boolean correction) {
        TransitionFacts facts = facts(transition, fix);
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
                        facts.time(),
                        facts.enteredAt(),
                        facts.durationSeconds(),
                        facts.position(),
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
