package io.sextant.geofencing;

import io.sextant.jobs.Job;
import io.sextant.jobs.JobHandler;
import io.sextant.tracking.PositionHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A recurring job (once across all nodes) that reports assets stale: those of tenants with a
 * {@code staleAfter} rule whose latest position (by event time, backfilled data included) is older
 * than that. The event is dated when the silence reached {@code staleAfter}, not when the sweep
 * noticed. An asset is reported once; its next position reports it resumed (the fence engine does
 * that, in the ingest transaction). An asset that never reported has no silence to measure and is
 * never stale. Tracking answers which assets are silent, leaving out those already reported (this
 * module's {@code asset_stale}).
 */
@Component
class StaleAssetSweep implements JobHandler {

    static final int BATCH = 1000;

    private final FenceStore store;
    private final PositionHistory positions;
    private final AssetRuleBook rules;
    private final FenceEngine engine;
    private final Clock clock;
    private final Duration interval;

    StaleAssetSweep(
            FenceStore store,
            PositionHistory positions,
            AssetRuleBook rules,
            FenceEngine engine,
            Clock clock,
            GeofencingProperties properties) {
        this.store = store;
        this.positions = positions;
        this.rules = rules;
        this.engine = engine;
        this.clock = clock;
        this.interval = properties.staleSweepInterval();
    }

    @Override
    public String kind() {
        return "asset.stale-sweep";
    }

    @Override
    public @Nullable Duration every() {
        return interval;
    }

    @Override
    public void handle(Job job) throws Exception {
        Instant now = clock.instant();
        for (Map.Entry<UUID, Duration> rule : rules.staleRules().entrySet()) {
            Duration staleAfter = rule.getValue();
            UUID tenantId = rule.getKey();
            Set<UUID> reported = store.staleAssets(tenantId);
            for (var silent : positions.silentSince(tenantId, now.minus(staleAfter), reported, BATCH)) {
                engine.markStale(tenantId, silent.assetId(), silent.lastSeen(), staleAfter, now);
            }
        }
    }
}
