package io.sextant.export;

import io.sextant.jobs.Job;
import io.sextant.jobs.JobHandler;
import io.sextant.jobs.PermanentJobFailure;
import io.sextant.jobs.RetryPolicy;
import io.sextant.shared.problem.DomainException;
import io.sextant.tracking.StoredPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code exports.run} job: writes one export. An attempt takes the export over (a new run
 * token; the chunks of any earlier attempt deleted in the same transaction), reads its positions
 * page by page with the requester's authority ({@link RequesterAuthority}, {@link PositionPages}),
 * writes them in the export's format into chunks as they fill, records progress per page and, at the
 * end, the size, the SHA-256 and the expiry — each write conditional on the run token. So an attempt
 * repeated after a crash starts over cleanly, an attempt overtaken by a newer one changes nothing
 * more, and an export that is finished or deleted is left alone.
 *
 * <p>What retrying cannot mend — the requester gone or without the permissions, the asset out of
 * reach, more positions than allowed — fails the export at once; anything else (the database) is
 * retried, and the export fails when the job is dead.
 */
@Component
class ExportRun implements JobHandler {

    static final String KIND = "exports.run";

    private static final Logger log = LoggerFactory.getLogger(ExportRun.class);

    private final ExportRepository repository;
    private final PositionPages pages;
    private final RequesterAuthority authority;
    private final ExportsProperties properties;
    private final ExportMeters meters;
    private final JsonMapper json;
    private final Clock clock;

    ExportRun(
            ExportRepository repository,
            PositionPages pages,
            RequesterAuthority authority,
            ExportsProperties properties,
            ExportMeters meters,
            JsonMapper json,
            Clock clock) {
        this.repository = repository;
        this.pages = pages;
        this.authority = authority;
        this.properties = properties;
        this.meters = meters;
        this.json = json;
        this.clock = clock;
    }

    /** The payload of the job that writes {@code exportId}. */
    static String payload(UUID exportId) {
        return "{\"exportId\":\"" + exportId + "\"}";
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public RetryPolicy retryPolicy() {
        return RetryPolicy.exponential(Duration.ofSeconds(30), 4, 3, 0.2);
    }

    @Override
    public Duration timeout() {
        return properties.timeout();
    }

    @Override
    public void handle(Job job) {
        UUID tenantId = Objects.requireNonNull(job.tenantId(), "an export is a tenant's");
        UUID exportId = exportId(job);
        UUID runToken = UUID.randomUUID();
        Optional<ExportRepository.Started> started = repository.start(tenantId, exportId, runToken, now());
        if (started.isEmpty()) {
            log.info("Export {} is finished or deleted: nothing to write", exportId);
            return;
        }
        ExportRepository.Started export = started.get();
        try {
            authority.callAs(tenantId, export.requester(), () -> {
                write(tenantId, exportId, runToken, export);
                return true;
            });
        } catch (Superseded superseded) {
            log.info("Export {}: this attempt was taken over by another or the export was deleted", exportId);
        } catch (PermanentJobFailure failure) {
            throw failure;
        } catch (AccessDeniedException denied) {
            throw new PermanentJobFailure(
                    "the requester " + export.requester().subject() + " may no longer read positions");
        } catch (DomainException refused) {
            throw new PermanentJobFailure(refused.detail());
        } catch (RuntimeException failure) {
            try {
                repository.retrying(exportId, runToken, "attempt " + job.attempt() + " failed: " + failure);
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed);
            }
            throw failure;
        }
    }

    @Override
    public void deadLettered(Job job, String lastError) {
        Instant now = now();
        repository
                .fail(exportId(job), lastError, now, now.plus(properties.retention()))
                .ifPresent(format -> meters.completed(format, ExportMeters.FAILED));
    }

    private void write(UUID tenantId, UUID exportId, UUID runToken, ExportRepository.Started export) {
        ChunkedContent content = new ChunkedContent((int) properties.chunkSize().toBytes(), (seq, data) -> {
            if (!repository.appendChunk(tenantId, exportId, runToken, seq, data)) {
                throw new Superseded();
            }
        });
        ExportWriter writer = ExportWriter.of(export.format(), json, content);
        Progress progress = new Progress(export.query());
        try {
            writer.begin();
            pages.read(export.query(), page -> {
                for (StoredPosition position : page) {
                    progress.count();
                    write(writer, position);
                }
                if (!repository.progress(exportId, runToken, progress.written, progress.estimate(page))) {
                    throw new Superseded();
                }
            });
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExportRepository.Content stored = content.finish();
        Instant now = now();
        if (!repository.succeed(exportId, runToken, progress.written, stored, now, now.plus(properties.retention()))) {
            throw new Superseded();
        }
        meters.completed(export.format(), ExportMeters.SUCCEEDED);
        meters.written(export.format(), stored.size());
        log.info(
                "Export {} written: {} positions, {} bytes in {} chunks",
                exportId,
                progress.written,
                stored.size(),
                stored.chunks());
    }

    private static void write(ExportWriter writer, StoredPosition position) {
        try {
            writer.write(position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private UUID exportId(Job job) {
        return UUID.fromString(json.readTree(job.payload()).get("exportId").asString());
    }

    /** Positions written so far, the limit on them, and the estimate of the total. */
    private final class Progress {
        private final ExportQuery query;
        private long written;

        Progress(ExportQuery query) {
            this.query = query;
        }

        void count() {
            written++;
            if (written > properties.maxPositions()) {
                throw new PermanentJobFailure("the export holds more than " + properties.maxPositions()
                        + " positions (SEXTANT_EXPORTS_MAX_POSITIONS): narrow its window or area");
            }
        }

        /**
         * The total extrapolated from the share of the window written so far (pages come in time
         * order), never below what is written; null while too little is written to tell.
         */
        @Nullable
        Long estimate(List<StoredPosition> page) {
            return ExportRun.estimate(query, page.getLast().eventTime(), written);
        }
    }

    static @Nullable Long estimate(ExportQuery query, Instant reached, long written) {
        double window = Duration.between(query.from(), query.to()).toMillis();
        double covered = Duration.between(query.from(), reached).toMillis() + 1;
        double share = Math.min(1, covered / window);
        // Under a hundredth of the window written, an extrapolation says nothing yet.
        if (!(window > 0) || !(share >= 0.01)) {
            return null;
        }
        return Math.max(written, Math.round(written / share));
    }

    /** This attempt no longer owns its export: another attempt took it over, or it was deleted. */
    private static final class Superseded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Superseded() {
            super(null, null, false, false);
        }
    }
}
