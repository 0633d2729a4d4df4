package io.sextant.geofencing;

import io.sextant.asset.AssetSummary;
import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.tracking.Position;
import io.sextant.tracking.PositionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The CloudEvents of the asset rules (stale, speeding, proximity); see {@code docs/events.md}. */
final class RuleEvents {

    private RuleEvents() {}

    record StaleData(UUID assetId, @Nullable String externalId, Instant lastSeen, long silentSeconds) {}

    record ResumedData(UUID assetId, @Nullable String externalId, FenceEvents.FixData position) {}

    record SpeedingData(
            UUID assetId,
            @Nullable String externalId,
            @Nullable Double limitKmh,
            double speedKmh,
            @Nullable Double maxKmh,
            FenceEvents.FixData position) {}

    /**
     * Data of the proximity events. {@code assetId} is the asset the rule's {@code first} selector
     * matches (the lower id when each matches either), whichever of the two moved.
     *
     * @param position where {@code assetId} was: its latest position when the distance was taken
     * @param otherPosition where {@code otherAssetId} was then
     */
    record ProximityData(
            String rule,
            UUID assetId,
            String externalId,
            UUID otherAssetId,
            String otherExternalId,
            double distanceMeters,
            double thresholdMeters,
            FenceEvents.@Nullable FixData position,
            FenceEvents.@Nullable FixData otherPosition) {}

    /**
     * An asset silent since {@code lastSeen} for the rule's {@code staleAfter}: dated when the
     * silence reached that length, {@code lastSeen + staleAfter}, however much later the sweep
     * noticed (the event's recorded time says when).
     */
    static NewEvent stale(
            UUID tenantId, UUID assetId, @Nullable AssetSummary asset, Instant lastSeen, Duration staleAfter) {
        return event(
                tenantId,
                EventTypes.ASSET_STALE,
                assetId,
                asset,
                lastSeen.plus(staleAfter),
                List.of(),
                new StaleData(assetId, externalId(asset), lastSeen, staleAfter.toSeconds()));
    }

    static NewEvent resumed(Position position, @Nullable AssetSummary asset) {
        return event(
                position.tenantId(),
                EventTypes.ASSET_RESUMED,
                position.assetId(),
                asset,
                position.eventTime(),
                List.of(),
                new ResumedData(position.assetId(), externalId(asset), fix(position)));
    }

    /**
     * A speeding episode started or ended. A start is dated, and shows the position and speed of,
     * its first reading over the limit plus the tolerance; an end, the first reading back at or
     * under the limit, which is the one at hand.
     *
     * @param position the reading at hand
     * @param first for a start, the first reading over the limit plus the tolerance, if still stored
     * @param speedKmh the speed of the reading at hand
     */
    static NewEvent speeding(
            Position position,
            PositionHistory.@Nullable Fix first,
            @Nullable AssetSummary asset,
            SpeedingRule.SpeedingTransition transition,
            double speedKmh) {
        SpeedingData data = switch (transition) {
            case SpeedingRule.SpeedingStarted started -> {
                Double firstSpeed = first == null ? null : first.speed();
                yield new SpeedingData(
                        position.assetId(),
                        externalId(asset),
                        started.limitKmh(),
                        firstSpeed != null ? firstSpeed * 3.6 : speedKmh,
                        null,
                        first != null
                                ? new FenceEvents.FixData(first.time(), first.lon(), first.lat(), first.accuracy())
                                : fix(position));
            }
            case SpeedingRule.SpeedingEnded ended ->
                new SpeedingData(position.assetId(), externalId(asset), null, speedKmh, ended.maxKmh(), fix(position));
        };
        String type = transition instanceof SpeedingRule.SpeedingStarted
                ? EventTypes.SPEEDING_STARTED
                : EventTypes.SPEEDING_ENDED;
        return event(position.tenantId(), type, position.assetId(), asset, transition.time(), List.of(), data);
    }

    /**
     * Two assets came near each other or moved apart; the event is about {@code named}, with {@code
     * other} as the other asset, whichever of them moved.
     */
    static NewEvent proximity(
            UUID tenantId,
            AssetSummary named,
            @Nullable Position namedPosition,
            AssetSummary other,
            @Nullable Position otherPosition,
            AssetRules.Proximity rule,
            ProximityRule.ProximityTransition transition) {
        double distance = switch (transition) {
            case ProximityRule.ProximityStarted started -> started.distanceMeters();
            case ProximityRule.ProximityEnded ended -> ended.distanceMeters();
        };
        String type = transition instanceof ProximityRule.ProximityStarted
                ? EventTypes.PROXIMITY_STARTED
                : EventTypes.PROXIMITY_ENDED;
        return event(
                tenantId,
                type,
                named.assetId(),
                named,
                transition.time(),
                List.of(),
                new ProximityData(
                        rule.name(),
                        named.assetId(),
                        named.externalId(),
                        other.assetId(),
                        other.externalId(),
                        Math.round(distance * 10) / 10.0,
                        rule.distanceMeters(),
                        namedPosition == null ? null : fix(namedPosition),
                        otherPosition == null ? null : fix(otherPosition)));
    }

    private static NewEvent event(
            UUID tenantId,
            String type,
            UUID assetId,
            @Nullable AssetSummary asset,
            Instant time,
            List<String> zoneTags,
            Object data) {
        return new NewEvent(
                tenantId,
                type,
                "/assets/" + assetId,
                assetId.toString(),
                time,
                assetId,
                null,
                asset == null ? List.of() : asset.tags(),
                zoneTags,
                data);
    }

    private static FenceEvents.FixData fix(Position position) {
        return new FenceEvents.FixData(position.eventTime(), position.lon(), position.lat(), position.accuracy());
    }

    private static @Nullable String externalId(@Nullable AssetSummary asset) {
        return asset == null ? null : asset.externalId();
    }
}
