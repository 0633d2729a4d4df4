package io.sextant.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.asset.AssetIds;
import io.sextant.asset.Assets;
import io.sextant.shared.JsonNumbers;
import io.sextant.shared.JsonPaths;
import io.sextant.shared.NulCharacters;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.Reach;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.tenancy.Tenant;
import io.sextant.tenancy.Tenants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts a batch of reported positions for the current tenant: validates each, resolves its
 * asset, hands the valid ones to the group-commit writer and answers only after they are durable,
 * with every item's outcome. Idempotent by (tenant, asset, event time): a position re-sent with the
 * same key is a duplicate and the stored one is kept unchanged, even if other values differ.
 * Requires {@code positions:write}; registering unknown devices (when the tenant allows it) needs
 * nothing more, as asset's {@code registerMissing} is a port.
 */
@Service
public class PositionIngest {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final Assets assets;
    private final AssetCatalog catalog;
    private final Tenants tenants;
    private final PositionWriter writer;
    private final LatestPositionWrites latestWrites;
    private final TrackingProperties properties;
    private final MeterRegistry meters;
    private final JsonMapper json = JsonMapper.builder().build();
    private final io.micrometer.core.instrument.DistributionSummary batchSize;
    private final io.micrometer.core.instrument.Timer lag;

    PositionIngest(
            Assets assets,
            AssetCatalog catalog,
            Tenants tenants,
            PositionWriter writer,
            LatestPositionWrites latestWrites,
            TrackingProperties properties,
            MeterRegistry meters) {
        this.assets = assets;
        this.catalog = catalog;
        this.tenants = tenants;
        this.writer = writer;
        this.latestWrites = latestWrites;
        this.properties = properties;
        this.meters = meters;
        this.batchSize = io.micrometer.core.instrument.DistributionSummary.builder("sextant.ingest.batch.size")
                .description("Positions per ingest request")
                .register(meters);
        // Recorded for every accepted position: histogram buckets only (histogram_quantile gives the
        // percentiles, across nodes too); client-side percentiles cost a sliding-window histogram
        // update per position, a few percent of ingest's CPU.
        this.lag = io.micrometer.core.instrument.Timer.builder("sextant.ingest.lag")
                .description("Receive time minus event time of accepted positions")
                .register(meters);
    }

    @RequiresPermission("positions:write")
    public IngestReceipt ingest(List<PositionReport> received) {
        try (LatestPositionWrites.Hold hold = latestWrites.hold()) {
            return ingest(received, hold.receivedAt());
        }
    }

    private IngestReceipt ingest(List<PositionReport> received, Instant now) {
        // An item holding U+0000 is refused before any query sees it: PostgreSQL cannot store it,
        // and in a group commit it would fail every request written with it. So is one with an
        // attribute beyond a double, which Sextant could not compare.
        List<PositionReport> reports =
                received.stream().map(PositionIngest::storable).toList();
        UUID tenantId = TenantContext.require();
        Tenant tenant = tenants.find(tenantId).orElseThrow();
        List<UUID> ids = reports.stream()
                .map(PositionReport::assetId)
                .filter(java.util.Objects::nonNull)
                .toList();
        List<String> externalIds = reports.stream()
                .map(PositionReport::externalId)
                .filter(java.util.Objects::nonNull)
                .toList();
        AssetIds resolved = catalog.resolve(tenantId, ids, externalIds);
        List<String> missing = tenant.autoRegisterAssets()
                ? externalIds.stream()
                        .filter(e -> resolved.byExternalId(e).isEmpty())
                        .toList()
                : List.of();
        if (!missing.isEmpty()) {
            assets.registerMissing(missing);
        }
        AssetIds known = missing.isEmpty() ? resolved : catalog.resolve(tenantId, ids, externalIds);

        batchSize.record(reports.size());
        // A writer whose grants are scoped writes only what they reach: an asset beyond them is as
        // unknown as a missing one, a position outside their region or window is refused.
        Reach reach = DataReach.current("positions:write", assets, catalog, now);
        IngestOutcome[] outcomes = new IngestOutcome[reports.size()];
        List<Position> valid = new ArrayList<>();
        List<Integer> validIndex = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            PositionReport report = reports.get(i);
            String problem = problem(report, known, now, tenant.positionRetention());
            if (problem != null) {
                outcomes[i] = new IngestOutcome(i, IngestOutcome.Status.REJECTED, null, problem);
                rejected(outcomes[i].reasonKind());
                continue;
            }
            Position position = toPosition(tenantId, report, known, now);
            if (!reach.all()) {
                String beyond = beyond(reach, position, report);
                if (beyond != null) {
                    outcomes[i] = new IngestOutcome(i, IngestOutcome.Status.REJECTED, null, beyond);
                    rejected(outcomes[i].reasonKind());
                    continue;
                }
            }
            valid.add(position);
            validIndex.add(i);
        }

        Inserted inserted = await(writer.submit(valid));
        // A key twice in one request: the first is accepted (or a duplicate), the rest duplicates.
        // (A group written whole had no key twice.)
        Set<PositionKey> claimed = inserted.all() ? Set.of() : new HashSet<>();
        for (int j = 0; j < valid.size(); j++) {
            Position position = valid.get(j);
            boolean first = inserted.all() || claimed.add(position.key());
            boolean accepted = first && inserted.contains(position.key());
            outcomes[validIndex.get(j)] = new IngestOutcome(
                    validIndex.get(j),
                    accepted ? IngestOutcome.Status.ACCEPTED : IngestOutcome.Status.DUPLICATE,
                    position.assetId(),
                    null);
            if (accepted) {
                lag.record(java.time.Duration.between(position.eventTime(), position.receivedAt()));
            }
        }
        IngestReceipt receipt = IngestReceipt.of(List.of(outcomes));
        count("accepted", receipt.accepted());
        count("duplicate", receipt.duplicates());
        return receipt;
    }

    private static @Nullable String beyond(Reach reach, Position position, PositionReport report) {
        if (!reach.reachesAsset(position.assetId())) {
            UUID assetId = report.assetId();
            return "unknown asset " + (assetId != null ? assetId : "'" + report.externalId() + "'");
        }
        if (!reach.reachesPosition(position.assetId(), position.lon(), position.lat(), position.eventTime())) {
            return "outside the region or time your grants allow you to write";
        }
        return null;
    }

    private @Nullable String problem(PositionReport report, AssetIds known, Instant now, Duration retention) {
        if (report.problem() != null) {
            return report.problem();
        }
        if (report.assetId() == null && report.externalId() == null) {
            return "names no asset: give assetId or externalId";
        }
        UUID assetId = report.assetId();
        String externalId = report.externalId();
        if (assetId != null
                ? !known.exists(assetId)
                : externalId == null || known.byExternalId(externalId).isEmpty()) {
            return "unknown asset " + (assetId != null ? assetId : "'" + externalId + "'");
        }
        Instant eventTime = report.eventTime();
        if (eventTime == null) {
            return "time is required";
        }
        if (eventTime.isAfter(now.plus(properties.maxFutureSkew()))) {
            return "time " + eventTime + " is more than " + properties.maxFutureSkew() + " in the future";
        }
        if (eventTime.isBefore(now.minus(retention))) {
            return "time " + eventTime + " is older than the tenant's retention of " + retention.toDays() + " days";
        }
        if (report.lon() == null || report.lat() == null) {
            return "lon and lat are required";
        }
        String range = PositionRules.rangeProblem(report);
        if (range != null) {
            return range;
        }
        if (!report.attributes().isEmpty()) {
            int bytes = json.writeValueAsString(report.attributes()).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > properties.maxAttributeBytes()) {
                return "attributes take " + bytes + " bytes, over the limit of " + properties.maxAttributeBytes();
            }
        }
        return null;
    }

    private static PositionReport storable(PositionReport report) {
        if (NulCharacters.in(report.externalId())) {
            return PositionReport.unreadable("externalId " + NulCharacters.REASON);
        }
        // One walk over the attributes for both faults.
        JsonPaths.Fault fault = JsonPaths.first(report.attributes(), "attributes", NulCharacters::fault, leaf -> {
            String nul = NulCharacters.fault(leaf);
            return nul != null ? nul : JsonNumbers.fault(leaf);
        });
        return fault == null ? report : PositionReport.unreadable(fault.path() + " " + fault.reason());
    }

    private static Position toPosition(UUID tenantId, PositionReport report, AssetIds known, Instant now) {
        UUID assetId = report.assetId() != null
                ? report.assetId()
                : known.byExternalId(java.util.Objects.requireNonNull(report.externalId()))
                        .orElseThrow();
        return new Position(
                tenantId,
                assetId,
                java.util.Objects.requireNonNull(report.eventTime()).truncatedTo(ChronoUnit.MICROS),
                now,
                java.util.Objects.requireNonNull(report.lon()),
                java.util.Objects.requireNonNull(report.lat()),
                report.altitude(),
                report.accuracy(),
                report.speed(),
                report.heading(),
                report.attributes());
    }

    private static Inserted await(java.util.concurrent.CompletableFuture<Inserted> future) {
        try {
            return future.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IngestSaturatedException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the position writer", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("positions could not be stored", e.getCause());
        }
    }

    private void rejected(String kind) {
        Counter.builder("sextant.ingest.positions")
                .tag("outcome", "rejected")
                .tag("reason", kind)
                .register(meters)
                .increment();
    }

    private void count(String outcome, int n) {
        if (n > 0) {
            Counter.builder("sextant.ingest.positions")
                    .tag("outcome", outcome)
                    .tag("reason", "none")
                    .register(meters)
                    .increment(n);
        }
    }
}
