package io.sextant.export;

import io.sextant.jobs.Jobs;
import io.sextant.jobs.NewJob;
import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.Gone;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exports of the current caller, each requiring {@code positions:export}: start one (a job writes
 * it later, with the caller's authority as it stands then), follow it, list them, download its
 * content, delete it. An export is its requester's alone: another subject's — whose content holds
 * what that subject's grants reach, which may be more than the caller's — is as absent as another
 * tenant's. Each explicit limit is checked first and named in the refusal.
 */
@Service
public class Exports {

    private final ExportRepository repository;
    private final PositionPages pages;
    private final Jobs jobs;
    private final ExportsProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Exports(
            ExportRepository repository,
            PositionPages pages,
            Jobs jobs,
            ExportsProperties properties,
            TransactionTemplate transactions,
            Clock clock) {
        this.repository = repository;
        this.pages = pages;
        this.jobs = jobs;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Queues an export of {@code query} in {@code format}, and the job that writes it, in one
     * transaction. Refused first when the query breaks a limit of exports or would be refused by the
     * history endpoints for this caller (the same 400, 403 or 404), and when the tenant has {@code
     * sextant.exports.max-unfinished} exports queued or running (409 {@code export-limit-reached}).
     */
    @RequiresPermission("positions:export")
    public Export start(ExportQuery query, ExportFormat format) {
        checkLimits(query);
        pages.check(query);
        Requester requester = RequesterAuthority.caller();
        UUID tenantId = TenantContext.require();
        Instant now = now();
        Export export = new Export(
                Ids.newId(),
                requester.subject(),
                format,
                query,
                ExportStatus.QUEUED,
                0,
                null,
                null,
                null,
                now,
                null,
                null,
                null,
                null);
        transactions.executeWithoutResult(status -> {
            repository.lockTenant(tenantId);
            int unfinished = repository.countUnfinished(tenantId);
            if (unfinished >= properties.maxUnfinished()) {
                throw new Conflict(
                        "export-limit-reached",
                        "Too many unfinished exports",
                        "the tenant has " + unfinished + " exports queued or running, the most allowed"
                                + " (SEXTANT_EXPORTS_MAX_UNFINISHED); wait for one to finish or delete one",
                        Map.of("limit", properties.maxUnfinished()));
            }
            repository.insert(tenantId, requester, export);
            jobs.enqueue(new NewJob(ExportRun.KIND, tenantId, ExportRun.payload(export.id()), now, null));
        });
        return export;
    }

    /** One of the caller's exports. */
    @RequiresPermission("positions:export")
    public Export get(UUID id) {
        return find(id);
    }

    /** The caller's exports, newest first. */
    @RequiresPermission("positions:export")
    public CursorPage<Export> list(@Nullable String cursor, int limit) {
        List<Export> rows = repository.page(
                TenantContext.require(), RequesterAuthority.caller().subject(), Cursors.decodeId(cursor), limit + 1);
        return CursorPage.fromLookahead(rows, limit, export -> export.id().toString());
    }

    /**
     * The content of one of the caller's succeeded exports, to be streamed: 409 {@code
     * export-not-ready} while it is queued or running, {@code export-failed} when it failed, 410
     * {@code export-expired} once its content is removed.
     */
    @RequiresPermission("positions:export")
    public Content content(UUID id) {
        Export export = find(id);
        return switch (export.status()) {
            case SUCCEEDED -> new Content(export, TenantContext.require());
            case QUEUED, RUNNING ->
                throw new Conflict(
                        "export-not-ready",
                        "Export not ready",
                        "export " + id + " is " + export.status().id() + ": its content is there once it succeeded",
                        Map.of("exportStatus", export.status().id()));
            case FAILED ->
                throw new Conflict(
                        "export-failed",
                        "Export failed",
                        "export " + id + " failed and has no content: " + export.error(),
                        Map.of("exportStatus", export.status().id()));
            case EXPIRED ->
                throw new Gone(
                        "export-expired",
                        "Export expired",
                        "the content of export " + id + " expired at " + export.expiresAt() + " and was removed");
        };
    }

    /** Deletes one of the caller's exports and its content, whatever its status (a running one stops). */
    @RequiresPermission("positions:export")
    public void delete(UUID id) {
        if (!repository.delete(
                TenantContext.require(), RequesterAuthority.caller().subject(), id)) {
            throw new NotFound("export", id);
        }
    }

    private Export find(UUID id) {
        return repository
                .find(TenantContext.require(), RequesterAuthority.caller().subject(), id)
                .orElseThrow(() -> new NotFound("export", id));
    }

    private void checkLimits(ExportQuery query) {
        if (!query.to().isAfter(query.from())) {
            throw new InvalidInput("to", "must be after from");
        }
        Duration window = Duration.between(query.from(), query.to());
        if (window.compareTo(properties.maxWindow()) > 0) {
            throw new InvalidInput(
                    "to",
                    "the window of " + window + " exceeds the limit of exports, " + properties.maxWindow()
                            + " (SEXTANT_EXPORTS_MAX_WINDOW)");
        }
        if (query instanceof ExportQuery.Area area) {
            double areaKm2 = area.bbox() != null
                    ? area.bbox().areaKm2()
                    : envelopesKm2(Objects.requireNonNull(PositionPages.polygon(area)));
            if (areaKm2 > properties.maxAreaKm2()) {
                throw new InvalidInput(
                        area.bbox() != null ? "bbox" : "geometry",
                        "covers about " + Math.round(areaKm2) + " km² (bounding box), over the limit of exports, "
                                + Math.round(properties.maxAreaKm2()) + " km² (SEXTANT_EXPORTS_MAX_AREA_KM2)");
            }
        }
    }

    /** The area of the polygons' bounding boxes, as the history search measures it. */
    private static double envelopesKm2(Geometry polygon) {
        double total = 0;
        for (int i = 0; i < polygon.getNumGeometries(); i++) {
            Envelope e = polygon.getGeometryN(i).getEnvelopeInternal();
            total += new BoundingBox(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()).areaKm2();
        }
        return total;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The content of a succeeded export: its description (size, SHA-256, format) and its bytes, read
     * from storage one chunk at a time as they are written out.
     */
    public final class Content {

        private final Export export;
        private final UUID tenantId;

        private Content(Export export, UUID tenantId) {
            this.export = export;
            this.tenantId = tenantId;
        }

        public Export export() {
            return export;
        }

        /**
         * Writes the content to {@code out}, chunk by chunk, each read in a short transaction of its
         * own; fails with an {@link IOException} if the export expired or was deleted meanwhile (the
         * response is then cut short of its Content-Length, which a client sees as a failed download).
         */
        public void writeTo(OutputStream out) throws IOException {
            int chunks = repository.chunkCount(tenantId, export.id());
            for (int seq = 0; seq < chunks; seq++) {
                byte[] data = repository
                        .chunk(tenantId, export.id(), seq)
                        .orElseThrow(() -> new IOException("export " + export.id() + " expired or was deleted"));
                out.write(data);
            }
        }
    }
}
