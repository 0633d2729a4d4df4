package io.sextant.geofencing;

import io.sextant.jobs.Job;
import io.sextant.jobs.JobHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A recurring job (once across all nodes) that reports assets stale: those of tenants with a
 * {@code staleAfter} rule whose latest position (by event time, backfilled data included) is older
 * than that. The event is dated when the silence reached {@code staleAfter}, not when the sweep
 * noticed. An asset is reported once; its next position reports it resumed (the fence engine does
 * that, in the ingest transaction). An asset that never reported has no silence to measure and is
 * never stale.
 */
@Component
class StaleAssetSweep implements JobHandler {

    static final int BATCH = 1000;

    private final FenceStore store;
    private final AssetRuleBook rules;
    private final FenceEngine engine;
    private final Clock clock;
    private final Duration interval;

    StaleAssetSweep(
            FenceStore store, AssetRuleBook rules, FenceEngine engine, Clock clock, GeofencingProperties properties) {
        this.store = store;
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
            for (var candidate : store.staleCandidates(rule.getKey(), now.minus(staleAfter), BATCH)) {
                engine.markStale(rule.getKey(), candidate.getKey(), candidate.getValue(), staleAfter, now);
            }
        }
    }
}
