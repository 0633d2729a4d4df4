package io.sextant.benchmark;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each statement of one database cost PostgreSQL between two snapshots of pg_stat_statements:
 * execution time, WAL and pages dirtied, per row and per position of the round. Where
 * {@link ActivitySampler} tells which statements keep backends busy, this tells what one row of
 * each costs, which is what a change to the rows written per position or per event moves.
 *
 * <p>On request only ({@code --pg-statements}): the server must load the module
 * ({@code shared_preload_libraries = 'pg_stat_statements'}), which PostgreSQL does not by default,
 * and the first snapshot creates the extension in the {@code postgres} database if it is missing.
 * The snapshots are differences, so the counters are never reset under anyone else.
 */
final class StatementCosts {

    /** One statement's counters, summed over the entries of its text (one per user and top level). */
    private record Counters(String query, long calls, long rows, double execMillis, long walBytes, long dirtied) {

        Counters minus(Counters earlier) {
            return new Counters(
                    query,
                    calls - earlier.calls,
                    rows - earlier.rows,
                    execMillis - earlier.execMillis,
                    walBytes - earlier.walBytes,
                    dirtied - earlier.dirtied);
        }
    }

    private final Map<String, Counters> before;
    private final String database;

    private StatementCosts(String database, Map<String, Counters> before) {
        this.database = database;
        this.before = before;
    }

    /** Snapshots the counters of {@code database}'s statements, through {@code admin} (closed here). */
    static StatementCosts start(Connection admin, String database) throws SQLException {
        try (admin;
                Statement s = admin.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            return new StatementCosts(database, read(s, database));
        }
    }

    private static Map<String, Counters> read(Statement s, String database) throws SQLException {
        Map<String, Counters> counters = new HashMap<>();
        try (ResultSet rs = s.executeQuery("""
                select regexp_replace(left(query, 70), '\\s+', ' ', 'g'), sum(calls), sum(rows),
                       sum(total_exec_time), sum(wal_bytes), sum(shared_blks_dirtied)
                  from pg_stat_statements
                 where dbid = (select oid from pg_database where datname = '%s')
                 group by 1""".formatted(database))) {
            while (rs.next()) {
                String query = rs.getString(1).trim();
                counters.put(
                        query,
                        new Counters(
                                query,
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getDouble(4),
                                rs.getBigDecimal(5).longValue(),
                                rs.getLong(6)));
            }
        }
        return counters;
    }

    /**
     * The {@code n} statements that took the most execution time since the first snapshot, as report
     * rows: calls, rows, time, and per row its time, WAL bytes and pages dirtied, and its time per
     * one of the round's {@code positions}.
     */
    List<List<String>> top(Connection admin, long positions, int n) throws SQLException {
        List<Counters> deltas = new ArrayList<>();
        try (admin;
                Statement s = admin.createStatement()) {
            for (Counters now : read(s, database).values()) {
                Counters earlier = before.get(now.query());
                Counters delta = earlier == null ? now : now.minus(earlier);
                if (delta.calls() > 0) {
                    deltas.add(delta);
                }
            }
        }
        deltas.sort((a, b) -> Double.compare(b.execMillis(), a.execMillis()));
        List<List<String>> rows = new ArrayList<>();
        for (Counters c : deltas.subList(0, Math.min(n, deltas.size()))) {
            long perRow = Math.max(1, c.rows());
            rows.add(List.of(
                    Report.code(c.query()),
                    String.format(Locale.ROOT, "%,d", c.calls()),
                    String.format(Locale.ROOT, "%,d", c.rows()),
                    String.format(Locale.ROOT, "%,.0f", c.execMillis()),
                    String.format(Locale.ROOT, "%.1f", 1000 * c.execMillis() / perRow),
                    String.format(Locale.ROOT, "%,d", c.walBytes() / perRow),
                    String.format(Locale.ROOT, "%.2f", (double) c.dirtied() / perRow),
                    String.format(Locale.ROOT, "%.2f", 1000 * c.execMillis() / Math.max(1, positions))));
        }
        return rows;
    }

    static final List<String> COLUMNS = List.of(
            "statement",
            "calls",
            "rows",
            "execution, ms",
            "µs per row",
            "WAL bytes per row",
            "pages dirtied per row",
            "µs per position of the round");
}
