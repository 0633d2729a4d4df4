package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseUnavailableTest {

    @Test
    void a_pool_that_found_no_connection_in_time_is_unavailable_however_it_is_wrapped() {
        var hikari = new SQLTransientConnectionException(
                "sextant - Connection is not available, request timed out after 2000ms",
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));

        assertThat(DatabaseUnavailable.isCause(hikari)).isTrue();
        assertThat(DatabaseUnavailable.isCause(new CannotCreateTransactionException("no transaction", hikari)))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new CannotGetJdbcConnectionException("no connection", hikari)))
                .isTrue();
    }

    @Test
    void a_connection_the_server_broke_or_terminated_is_unavailable() {
        for (String state : new String[] {"08006", "08003", "57P01", "57P02", "57P03"}) {
            var failure = new SQLException("the server went away", state);

            assertThat(DatabaseUnavailable.isCause(new UncategorizedSQLException("insert", "insert …", failure)))
                    .as(state)
                    .isTrue();
        }
    }

    @Test
    void a_failure_from_the_ingest_writers_future_is_recognised_through_its_wrappers() {
        var writer = new ExecutionException(
                new SQLException("terminating connection due to administrator command", "57P01"));

        assertThat(DatabaseUnavailable.isCause(
                        new IllegalStateException("positions could not be stored", writer.getCause())))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(writer)).isTrue();
    }

    @Test
    void a_failure_hidden_behind_a_failed_rollback_is_recognised() {
        var rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(
                new SQLException("An I/O error occurred while sending to the backend", "08006"));

        assertThat(DatabaseUnavailable.isCause(rollback)).isTrue();
    }

    @Test
    void a_rollback_on_a_connection_the_pool_evicted_as_broken_is_recognised() {
        // What a transaction template throws when the rollback after the real failure fails too.
        var rollback = new UncategorizedSQLException("JDBC rollback", null, new SQLException("Connection is closed"));

        assertThat(DatabaseUnavailable.isCause(rollback)).isTrue();
    }

    @Test
    void other_failures_are_not_taken_for_an_unavailable_database() {
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("a bug")))
                .isFalse();
        assertThat(DatabaseUnavailable.isCause(new DuplicateKeyException("taken", new SQLException("dup", "23505"))))
                .isFalse();
        assertThat(DatabaseUnavailable.isCause(new SQLException("canceled by the statement timeout", "57014")))
                .isFalse();
        assertThat(DatabaseUnavailable.isCause(new SQLException("no state"))).isFalse();
    }

    @Test
    void a_cause_chain_with_a_cycle_ends() {
        var first = new IllegalStateException("first");
        var second = new IllegalStateException("second", first);
        first.initCause(second);

        assertThat(DatabaseUnavailable.isCause(first)).isFalse();
    }
}
