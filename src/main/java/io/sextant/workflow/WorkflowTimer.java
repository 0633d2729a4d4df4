package io.sextant.workflow;

import io.sextant.jobs.Job;
import io.sextant.jobs.JobHandler;
import io.sextant.jobs.RetryPolicy;
import io.sextant.shared.TenantContext;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A durable workflow timer: a job queued for the timer's due time in the transaction that
 * scheduled it. When it runs it fires the timer on the locked instance; a timer no longer pending
 * (its state was left, it was cancelled, or it already fired — a job runs at least once) is stale
 * and changes nothing, so a timer never applies twice.
 */
@Component
class WorkflowTimer implements JobHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WorkflowInstanceRepository instances;
    private final WorkflowEngine engine;
    private final TransactionTemplate transactions;
    private final Clock clock;

    WorkflowTimer(
            WorkflowInstanceRepository instances,
            WorkflowEngine engine,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.instances = instances;
        this.engine = engine;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @Override
    public String kind() {
        return WorkflowEngine.TIMER_JOB;
    }

    @Override
    public void handle(Job job) {
        JsonNode payload = JSON.readTree(job.payload());
        UUID tenantId = UUID.fromString(payload.get("tenantId").asString());
        UUID instanceId = UUID.fromString(payload.get("instanceId").asString());
        String timerId = payload.get("timerId").asString();
        TenantContext.callAs(tenantId, () -> {
            transactions.executeWithoutResult(status -> instances
                    .lock(tenantId, instanceId)
                    .filter(instance -> !instance.finished())
                    .filter(instance -> instance.state().timers().containsKey(timerId))
                    .ifPresent(instance -> engine.step(
                            instance,
                            new Trigger.TimerFired(timerId),
                            clock.instant().truncatedTo(ChronoUnit.MICROS))));
            return Boolean.TRUE;
        });
    }

    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1)), 0.1);
    }
}
