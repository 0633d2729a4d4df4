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
 * Samples pg_stat_activity of one database every 100 ms while a phase runs: which statements
 * PostgreSQL's backends are busy with, and what they wait on. A poor man's profile of the server
 * side, without extensions or server settings. Each sample costs about 1 ms of a backend's CPU
 * (the view copies every backend's status): at 10 ms between samples it took ~8 % of a core from
 * the server being measured, at 100 ms under 1 %; 150+ samples a round still give the averages.
 */
final class ActivitySampler implements AutoCloseable {

    private static final long INTERVAL_MS = 100;

    private final Connection connection;
    private final String database;
    private final Map<String, Integer> counts = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int samples;

    ActivitySampler(Connection connection, String database) {
        this.connection = connection;
        this.database = database;
        this.thread = Thread.ofPlatform().daemon().name("activity-sampler").start(this::loop);
    }

    private void loop() {
        try (Statement s = connection.createStatement()) {
            while (running) {
                try (ResultSet rs = s.executeQuery("select regexp_replace(left(query, 70), '\\s+', ' ', 'g'),"
                        + " coalesce(wait_event_type || ':' || wait_event, 'CPU')"
                        + " from pg_stat_activity where datname = '" + database + "' and state = 'active'"
                        + " and pid <> pg_backend_pid()")) {
                    synchronized (counts) {
                        samples++;
                        while (rs.next()) {
                            counts.merge(rs.getString(1).trim() + " — " + rs.getString(2), 1, Integer::sum);
                        }
                    }
                }
                Thread.sleep(INTERVAL_MS);
            }
        } catch (SQLException e) {
            System.err.println("activity sampler stopped: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The most frequent (statement, wait) pairs: average number of busy backends in each. */
    List<List<String>> top(int n) {
        synchronized (counts) {
            List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
            entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(n, entries.size()))) {
                rows.add(List.of(
                        Report.code(e.getKey()),
                        String.format(Locale.ROOT, "%.2f", (double) e.getValue() / Math.max(1, samples))));
            }
            return rows;
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(2000);
        connection.close();
    }
}
