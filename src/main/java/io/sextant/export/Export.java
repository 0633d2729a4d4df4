package io.sextant.export;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An export as its requester sees it.
 *
 * @param requestedBy the subject whose authority it runs with and who alone sees it
 * @param positionsWritten positions written so far (all of them once it succeeded)
 * @param estimatedTotal how many it will hold, extrapolated from the share of the window written so
 *     far; exact once it succeeded, null before the first page
 * @param sizeBytes the content's size, once it succeeded
 * @param sha256 the content's SHA-256 in lower-case hex, once it succeeded
 * @param expiresAt when its content is removed (finished exports)
 * @param error why it failed
 */
public record Export(
        UUID id,
        String requestedBy,
        ExportFormat format,
        ExportQuery query,
        ExportStatus status,
        long positionsWritten,
        @Nullable Long estimatedTotal,
        @Nullable Long sizeBytes,
        @Nullable String sha256,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Instant expiresAt,
        @Nullable String error) {}
