package io.sextant.platform.http;

import io.sextant.shared.web.Problems;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Recognises a request that failed because the database could not be reached or went away (it
 * stopped, restarted, or the pool found no connection in time), however deeply the failure is
 * wrapped, and describes it as a 503 the client should retry. Whether a write that failed while
 * committing took effect is unknown, so retries of creating requests should carry an {@code
 * Idempotency-Key} (positions are idempotent by themselves).
 */
final class DatabaseUnavailable {

    /** Seconds a client should wait: a restarting PostgreSQL is usually back within a few. */
    static final String RETRY_AFTER_SECONDS = "5";

    private DatabaseUnavailable() {}

    /** Whether {@code failure}, or any of its causes, says the database is unreachable. */
    static boolean isCause(@Nullable Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (unreachable(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean unreachable(Throwable failure) {
        if (failure instanceof DataAccessResourceFailureException
                || failure instanceof SQLTransientConnectionException
                || failure instanceof SQLNonTransientConnectionException) {
            return true;
        }
        if (failure instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            // 08: connection exception; 57P01-03: the server is shutting down or not yet accepting.
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        }
        return false;
    }

    static ProblemDetail problem() {
        return Problems.detail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "database-unavailable",
                "Database unavailable",
                "the database cannot be reached; retry after the Retry-After delay");
    }

    /** The innermost cause's message, for a one-line log entry. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (root.getCause() != null && seen.add(root)) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
