package io.sextant.jobs;

import io.sextant.platform.redis.PlatformRedis;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chooses where jobs live ({@code SEXTANT_JOBS_BACKEND}): {@code postgres}, {@code redis}, or {@code
 * auto} (the default) — Redis when {@code SEXTANT_REDIS_URL} is set, else PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
class JobStoreConfiguration {

    @Bean
    JobOutbox jobOutbox(JdbcClient jdbc, JdbcTemplate batch) {
        return new JobOutbox(jdbc, batch);
    }

    @Bean
    JobStore jobStore(
            @Value("${sextant.jobs.backend:auto}") String backend,
            ObjectProvider<PlatformRedis> redis,
            JdbcClient jdbc,
            JdbcTemplate batch,
            JobOutbox outbox,
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
                : new JobRepository(jdbc, batch);
    }

    /** Moves jobs queued in transactions from the outbox to Redis; idle with the PostgreSQL store. */
    @Bean
    JobOutboxForwarder jobOutboxForwarder(
            JobStore store, JobOutbox outbox, TransactionTemplate transactions, JobsProperties properties) {
        return new JobOutboxForwarder(outbox, store, transactions, properties);
    }
}
