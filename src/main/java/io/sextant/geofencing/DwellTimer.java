package io.sextant.geofencing;

import io.sextant.jobs.Job;
import io.sextant.jobs.JobHandler;
import io.sextant.jobs.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durable dwell timer: queued when an asset enters a zone with a dwell time, it fires the dwell
 * at the right time even if the asset sends nothing more. If a fix got there first, or the asset
 * left, it does nothing — the state machine decides, under the asset's lock.
 */
@Component
class DwellTimer implements JobHandler {

    static final String KIND = "fence.dwell";

    private final FenceEngine engine;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    DwellTimer(FenceEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(Job job) throws Exception {
        JsonNode payload = json.readTree(job.payload());
        engine.dwellDue(
                UUID.fromString(payload.get("tenantId").asString()),
                UUID.fromString(payload.get("assetId").asString()),
                UUID.fromString(payload.get("zoneId").asString()),
                Instant.parse(payload.get("since").asString()),
                clock.instant());
    }

    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1)), 0.1);
    }
}
