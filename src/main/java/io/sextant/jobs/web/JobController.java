package io.sextant.jobs.web;

import io.sextant.jobs.JobStatus;
import io.sextant.jobs.JobSummary;
import io.sextant.jobs.JobView;
import io.sextant.jobs.Jobs;
import io.sextant.shared.TenantContext;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.PageLimits;
import io.sextant.shared.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "Background jobs of the tenant: queued, running, succeeded, dead")
class JobController {

    private static final int MAX_KIND_LENGTH = 200;

    private final Jobs jobs;
    private final JsonMapper json;

    JobController(Jobs jobs, JsonMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('jobs:read')")
    @Operation(operationId = "listJobs", summary = "List the tenant's jobs, newest first, filtered by status and kind")
    CursorPage<JobResponse> list(
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String kind,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        if (kind != null && (kind.isBlank() || kind.length() > MAX_KIND_LENGTH)) {
            throw Problems.invalid("kind", "must be 1 to " + MAX_KIND_LENGTH + " characters");
        }
        return jobs.list(TenantContext.require(), status(status), kind, cursor, PageLimits.check(limit))
                .map(this::response);
    }

    @GetMapping("/summary")
    @PreAuthorize("hasAuthority('jobs:read')")
    @Operation(operationId = "getJobSummary", summary = "Count the tenant's jobs by status, overall and per kind")
    JobSummary summary() {
        return jobs.summary(TenantContext.require());
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('jobs:read')")
    @Operation(operationId = "getJob", summary = "Get one of the tenant's jobs")
    JobResponse get(@PathVariable UUID id) {
        return response(find(id));
    }

    @PostMapping("/{id}/retry")
    @PreAuthorize("hasAuthority('jobs:read')")
    @Operation(
            operationId = "retryJob",
            summary = "Queue a dead job again, due now, with its attempts reset; 409 unless it is dead")
    JobResponse retry(@PathVariable UUID id) {
        UUID tenantId = TenantContext.require();
        JobView job = find(id);
        if (!jobs.retry(tenantId, id)) {
            throw Problems.conflict("job " + id + " is " + job.status().id() + ": only a dead job can be retried");
        }
        return response(find(id));
    }

    private JobView find(UUID id) {
        return jobs.find(TenantContext.require(), id).orElseThrow(() -> Problems.notFound("job", id));
    }

    private static @Nullable JobStatus status(@Nullable String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        return JobStatus.fromId(status)
                .orElseThrow(() -> Problems.invalid("status", "must be one of queued, running, succeeded, dead"));
    }

    private JobResponse response(JobView job) {
        return new JobResponse(
                job.id(),
                job.kind(),
                job.status().id(),
                json.readTree(job.payload()),
                job.attempt(),
                job.maxAttempts(),
                job.orderingKey(),
                job.runAt(),
                job.createdAt(),
                job.startedAt(),
                job.finishedAt(),
                job.lastError());
    }

    /** A job as the API shows it. */
    record JobResponse(
            UUID id,
            String kind,
            String status,
            JsonNode payload,
            int attempt,
            int maxAttempts,
            @Nullable String orderingKey,
            Instant runAt,
            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable String lastError) {}
}
