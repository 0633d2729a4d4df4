package io.sextant.platform.http;

import io.sextant.shared.web.Problems;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.TransactionSystemException;

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

    private static final String HIKARI_CLOSED = "Connection is closed";

    private DatabaseUnavailable() {}

    /**
     * Whether {@code failure}, or any of its causes, says the database is unreachable. A failed
     * rollback ({@link TransactionSystemException}) carries the failure that caused it beside its
     * own cause, which is then only "Connection is closed": both are searched.
     */
    static boolean isCause(@Nullable Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        if (failure != null) {
            pending.add(failure);
        }
        while (!pending.isEmpty()) {
            Throwable next = pending.pop();
            if (!seen.add(next)) {
                continue;
            }
            if (unreachable(next)) {
                return true;
            }
            Throwable cause = next.getCause();
            if (cause != null) {
                pending.add(cause);
            }
            Throwable overridden =
                    next instanceof TransactionSystemException rollback ? rollback.getApplicationException() : null;
            if (overridden != null) {
                pending.add(overridden);
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
        if (!(failure instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        if (state == null) {
            // The pool's answer on a connection it evicted as broken (the server terminated it). A
            // transaction manager's failed rollback reports only this, the first failure logged.
            return HIKARI_CLOSED.equals(sql.getMessage());
        }
        // 08: connection exception; 57P01-03: the server is shutting down or not yet accepting.
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
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
