package io.sextant.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The job contract on the PostgreSQL store (the default without Redis). */
@TestPropertySource(properties = "sextant.jobs.backend=postgres")
class PostgresJobsIT extends JobContractIT {

    @Override
    void forceLeaseIntoPast(UUID id) {
        jdbc.sql("update job set locked_until = now() - interval '1 second' where id = :id")
                .param("id", id)
                .update();
    }

    @Override
    UUID insertFinished(String status, Duration ago) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into job (id, kind, payload, status, attempt, run_at, finished_at)
                        values (:id, 'test.finished', '{}', :status, 1, now(), now() - :seconds * interval '1 second')""")
                .param("id", id)
                .param("status", status)
                .param("seconds", ago.toSeconds())
                .update();
        return id;
    }

    @Override
    long schedules(String kind) {
        return jdbc.sql("select count(*) from job_schedule where kind = :kind")
                .param("kind", kind)
                .query(Long.class)
                .single();
    }

    @Override
    JobStore anotherNodesStore() {
        assertThatStoreIs(JobRepository.class);
        return new JobRepository(jdbc, new JdbcTemplate(dataSource));
    }

    @Override
    Map<String, String> backendProperties() {
        return Map.of("sextant.jobs.backend", "postgres");
    }

    private void assertThatStoreIs(Class<?> type) {
        if (!type.isInstance(repository)) {
            throw new AssertionError("expected a " + type.getSimpleName() + ", the store is " + repository);
        }
    }
}
