package io.sextant.geofencing;

import io.sextant.asset.AssetSummary;
import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.tracking.Position;
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

    record ProximityData(
            String rule,
            UUID assetId,
            @Nullable String externalId,
            UUID otherAssetId,
            String otherExternalId,
            double distanceMeters,
            double thresholdMeters,
            FenceEvents.FixData position) {}

    static NewEvent stale(UUID tenantId, UUID assetId, @Nullable AssetSummary asset, Instant lastSeen, Instant now) {
        return event(
                tenantId,
                EventTypes.ASSET_STALE,
                assetId,
                asset,
                now,
                List.of(),
                new StaleData(
                        assetId,
                        externalId(asset),
                        lastSeen,
                        Duration.between(lastSeen, now).toSeconds()));
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

    static NewEvent speeding(
            Position position,
            @Nullable AssetSummary asset,
            SpeedingRule.SpeedingTransition transition,
            double speedKmh) {
        SpeedingData data = switch (transition) {
            case SpeedingRule.SpeedingStarted started ->
                new SpeedingData(
                        position.assetId(), externalId(asset), started.limitKmh(), speedKmh, null, fix(position));
            case SpeedingRule.SpeedingEnded ended ->
                new SpeedingData(position.assetId(), externalId(asset), null, speedKmh, ended.maxKmh(), fix(position));
        };
        String type = transition instanceof SpeedingRule.SpeedingStarted
                ? EventTypes.SPEEDING_STARTED
                : EventTypes.SPEEDING_ENDED;
        return event(position.tenantId(), type, position.assetId(), asset, transition.time(), List.of(), data);
    }

    static NewEvent proximity(
            Position position,
            AssetSummary asset,
            AssetSummary other,
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
                position.tenantId(),
                type,
                position.assetId(),
                asset,
                transition.time(),
                List.of(),
                new ProximityData(
                        rule.name(),
                        position.assetId(),
                        asset.externalId(),
                        other.assetId(),
                        other.externalId(),
                        Math.round(distance * 10) / 10.0,
                        rule.distanceMeters(),
                        fix(position)));
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
