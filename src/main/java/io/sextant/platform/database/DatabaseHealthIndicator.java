package io.sextant.platform.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code db} check of readiness: a pooled connection that answers, within a bounded time. A
 * database that is down, or a network that swallows packets, makes it DOWN after {@code
 * SEXTANT_DB_HEALTH_TIMEOUT} rather than after the pool's connection timeout or never; a probe
 * that arrives while a check is still waiting shares that check instead of piling up another.
 */
final class DatabaseHealthIndicator implements HealthIndicator {

    private static final Executor CHECKS =
            task -> Thread.ofVirtual().name("db-health").start(task);

    private final DataSource dataSource;
    private final Duration timeout;
    private @Nullable CompletableFuture<Health> running;

    DatabaseHealthIndicator(DataSource dataSource, Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            return current().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetail("error", "no database connection answered within " + timeout)
                    .build();
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            return Health.down(failure == null ? e : failure).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        }
    }

    private synchronized CompletableFuture<Health> current() {
        CompletableFuture<Health> check = running;
        if (check == null || check.isDone()) {
            check = CompletableFuture.supplyAsync(this::check, CHECKS);
            running = check;
        }
        return check;
    }

    private Health check() {
        try (Connection connection = dataSource.getConnection()) {
            int seconds = (int) Math.max(1, timeout.toSeconds());
            return connection.isValid(seconds)
                    ? Health.up().build()
                    : Health.down()
                            .withDetail("error", "the connection did not answer")
                            .build();
        } catch (SQLException e) {
            return Health.down(e).build();
        }
    }
}
