package io.sextant.jobs;

import io.sextant.platform.redis.PlatformRedis;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chooses where jobs live ({@code SEXTANT_JOBS_BACKEND}): {@code postgres}, {@code redis}, or {@code
 * auto} (the default) — Redis when {@code SEXTANT_REDIS_URL} is set, else PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
class JobStoreConfiguration {

    /** The store every other bean of the module gets (the PostgreSQL repository is a bean either way). */
    @Bean
    @Primary
    JobStore jobStore(
            @Value("${sextant.jobs.backend:auto}") String backend,
            ObjectProvider<PlatformRedis> redis,
            JobRepository postgres,
            JobOutboxRepository outbox,
            JobsProperties properties) {
        PlatformRedis platformRedis = redis.getIfAvailable();
        boolean useRedis = switch (backend) {
            case "postgres" -> false;
            case "redis" -> {
                if (platformRedis == null) {
                    throw new IllegalStateException("sextant.jobs.backend=redis needs SEXTANT_REDIS_URL");
                }
                yield true;
            }
            case "auto" -> platformRedis != null;
            default ->
                throw new IllegalStateException(
                        "sextant.jobs.backend must be auto, postgres or redis, was '" + backend + "'");
        };
        return useRedis && platformRedis != null
                ? new RedisJobStore(platformRedis, outbox, properties.visibilityTimeout())
                : postgres;
    }

    /** Moves jobs queued in transactions from the outbox to Redis; idle with the PostgreSQL store. */
    @Bean
    JobOutboxForwarder jobOutboxForwarder(
            JobStore store, JobOutboxRepository outbox, TransactionTemplate transactions, JobsProperties properties) {
        return new JobOutboxForwarder(outbox, store, transactions, properties);
    }
}
