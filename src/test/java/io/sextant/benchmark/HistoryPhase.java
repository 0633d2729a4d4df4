package io.sextant.benchmark;

import static io.sextant.benchmark.PositionsBenchmark.exec;
import static io.sextant.benchmark.PositionsBenchmark.fmt;
import static io.sextant.benchmark.PositionsBenchmark.odt;
import static io.sextant.benchmark.PositionsBenchmark.scalar;
import static io.sextant.benchmark.PositionsBenchmark.seconds;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Part 4: area-and-window queries ("everything inside this box during this window") over the
 * position history. The history is generated into Sextant's own {@code position} table, copied
 * row for row into a PostGIS table, and the same queries run against Sextant's schema under several
 * index designs (one at a time) and against PostGIS.
 */
final class HistoryPhase {

    private final PositionsBenchmark b;
    private final Options o;
    private final List<List<String>> designRows = new ArrayList<>();
    private int[] referenceCounts;
    private String referenceName;

    HistoryPhase(PositionsBenchmark b) {
        this.b = b;
        this.o = b.o;
    }

    record Query(double lonMin, double latMin, double lonMax, double latMax, Instant from, Instant to) {}

    void run() throws Exception {
        if (b.assetIds == null) {
            throw new IllegalStateException("the history phase needs the ingest phase's assets");
        }
        LocalDate ingestDay = PositionsBenchmark.day(b.ingestBase);
        Instant start = ingestDay
                .minusDays(o.historyDays + 1L)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        long perAsset = Math.max(1, o.historyRows / o.assets);
        long rows = perAsset * o.assets;
        long intervalMillis = o.historyDays * 86_400_000L / perAsset;
        Workload.Wander wander =
                new Workload.Wander(b.workload, PositionsBenchmark.HISTORY_STREAM, o.assets, start, intervalMillis);
        Instant end = start.plus(o.historyDays, ChronoUnit.DAYS);

        long total;
        try (Connection c = b.admin(b.db)) {
            exec(c, "set maintenance_work_mem = '1GB'");
            for (LocalDate d = PositionsBenchmark.day(start); d.isBefore(ingestDay); d = d.plusDays(1)) {
                exec(
                        c,
                        "create table if not exists position_" + d.format(PositionsBenchmark.DAY)
                                + " partition of position for values from ('" + d + "') to ('" + d.plusDays(1) + "')");
            }
            // Loaded with the primary key only; every design's indexes are built from scratch below.
            for (String index : secondaryIndexNames(c)) {
                exec(c, "drop index " + index);
            }
            Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
            UUID tenant = b.defaultTenant;
            long t0 = System.nanoTime();
            long copied = PositionsBenchmark.copyStream(
                    c, "COPY position (" + PgCopy.COLUMNS + ") FROM STDIN (FORMAT binary)", out -> {
                        for (long h = 0; h < rows; h++) {
                            Workload.Row r = wander.row(h);
                            PgCopy.writeRow(out, tenant, b.assetIds[r.asset()], r.eventTime(), received, r);
                        }
                    });
            long loadNanos = System.nanoTime() - t0;
            t0 = System.nanoTime();
            exec(c, "vacuum analyze position");
            long vacuumNanos = System.nanoTime() - t0;
            total = Long.parseLong(scalar(c, "select count(*) from position"));
            b.report.line(String.format(
                    Locale.ROOT,
                    "History: %,d generated rows (%,d assets × %,d reports, one every %,d s, %s to %s) loaded by binary"
                            + " COPY into Sextant's `position` in %s s (primary key maintained, secondary indexes dropped"
                            + " for the load; VACUUM ANALYZE %s s). With the ingest phase's rows the table holds **%,d"
                            + " rows** in %s daily partitions.",
                    copied,
                    o.assets,
                    perAsset,
                    intervalMillis / 1000,
                    start,
                    end,
                    seconds(loadNanos),
                    seconds(vacuumNanos),
                    total,
                    scalar(c, "select count(*) from pg_inherits where inhparent = 'position'::regclass")));
            b.report.line("Table size "
                    + scalar(
                            c,
                            "select pg_size_pretty(sum(pg_table_size(relid)))" + " from pg_partition_tree('position')")
                    + ", primary key "
                    + scalar(
                            c,
                            "select pg_size_pretty(sum(pg_relation_size(relid))) from pg_partition_tree('position_pkey')")
                    + ".");
        }

        List<Query> queries = queries(wander, rows, start, end);
        boolean postgis = loadPeer(total);

        b.report.line("");
        b.report.line(o.historyQueries + " queries: boxes of 5–20 km a side centred on points of the data (so in"
                + " populated areas), windows of 1–6 h inside the history span, for the one tenant; every query"
                + " fetches the matching rows (asset, time, lon, lat) in Sextant's area-query order (event_time,"
                + " asset_id; limit 10,001, never reached here), as `PositionQueryRepository.inArea` does. Each set"
                + " runs twice; the second (warm) pass is reported. Every design must return the same number of rows"
                + " for every query as the first one.");

        // Sextant's schema, one spatial design at a time.
        String box = """
                select asset_id, event_time, lon, lat from position
                where tenant_id = ? and event_time >= ? and event_time < ?
                  and pos <@ box(point(?, ?), point(?, ?))
                order by event_time, asset_id limit 10001""";
        // V3's formulation (PositionQueryRepository.inArea): the exact box test plus the covering cells.
        String cellExpr = cellExpression();
        String cell = box.replace("order by", "and " + cellExpr + " = any(?)\n                order by");
        String spgist = "create index position_pos on position using spgist (pos)";
        String brin = "create index position_event_time_brin on position using brin (event_time)";
        String cellIndex = "create index position_cell_time on position (tenant_id, (" + cellExpr + "), event_time)";
        try (Connection c = b.admin(b.db)) {
            exec(c, "set maintenance_work_mem = '1GB'");
            design(c, "Sextant V2: SP-GiST (pos)", "position_pos", List.of(spgist), box, queries, Kind.BOX);
            design(
                    c,
                    "Sextant: SP-GiST (pos) + BRIN (event_time)",
                    "position_pos,position_event_time_brin",
                    List.of(brin),
                    box,
                    queries,
                    Kind.BOX);
            exec(c, "drop index position_pos");
            design(
                    c,
                    "**Sextant V3: btree (tenant_id, " + o.cellDegrees + "° cell, event_time) + BRIN (event_time)**",
                    "position_cell_time,position_event_time_brin",
                    List.of(cellIndex),
                    cell,
                    queries,
                    Kind.CELL);
            exec(c, "drop index position_event_time_brin");
            design(
                    c,
                    "Sextant: btree (tenant_id, " + o.cellDegrees + "° cell, event_time) alone",
                    "position_cell_time",
                    List.of(),
                    cell,
                    queries,
                    Kind.CELL);
            exec(c, "drop index position_cell_time");
            design(
                    c,
                    "Sextant: GiST (pos)",
                    "position_pos_gist",
                    List.of("create index position_pos_gist on position using gist (pos)"),
                    box,
                    queries,
                    Kind.BOX);
            design(
                    c,
                    "Sextant: GiST (pos) + BRIN (event_time)",
                    "position_pos_gist,position_event_time_brin",
                    List.of(brin),
                    box,
                    queries,
                    Kind.BOX);
        }

        try (Connection c = b.admin(b.peerDb)) {
            if (postgis) {
                design(
                        c,
                        "PostGIS: GiST (geom) + btree (event_time), `&&`",
                        null,
                        List.of(),
                        """
                        select asset_id, event_time, lon, lat from hist
                        where tenant_id = ? and event_time >= ? and event_time < ?
                          and geom && st_makeenvelope(?, ?, ?, ?, 4326)
                        order by event_time, asset_id limit 10001""",
                        queries,
                        Kind.POSTGIS);
                design(
                        c,
                        "PostGIS: GiST (geom) + btree (event_time), `ST_Intersects`",
                        null,
                        null,
                        """
                        select asset_id, event_time, lon, lat from hist
                        where tenant_id = ? and event_time >= ? and event_time < ?
                          and st_intersects(geom, st_makeenvelope(?, ?, ?, ?, 4326))
                        order by event_time, asset_id limit 10001""",
                        queries,
                        Kind.POSTGIS);
            } else {
                design(
                        c,
                        "Plain SQL peer (PostGIS not installed): GiST (point) + btree (event_time)",
                        null,
                        null,
                        box.replace("from position", "from hist"),
                        queries,
                        Kind.BOX);
            }
        }
        b.report.table(
                List.of(
                        "design",
                        "index build",
                        "index size",
                        "p50",
                        "p99",
                        "mean",
                        "rows returned (total / mean per query)",
                        "same counts"),
                designRows);
    }

    String cellExpression() {
        return cellExpression(o.cellDegrees);
    }

    /** The grid cell of (lon, lat) on a grid of {@code degrees}, as an int: column * rows + row. */
    static String cellExpression(double degrees) {
        if (degrees < 0.01) {
            throw new IllegalArgumentException("--cell-degrees must be at least 0.01");
        }
        int rows = (int) Math.ceil(180 / degrees) + 1;
        return "((floor((lon + 180) / " + degrees + "::float8))::int * " + rows + " + (floor((lat + 90) / " + degrees
                + "::float8))::int)";
    }

    int[] cells(Query q) {
        int rowsPerColumn = (int) Math.ceil(180 / o.cellDegrees) + 1;
        int x0 = (int) Math.floor((q.lonMin() + 180) / o.cellDegrees);
        int x1 = (int) Math.floor((q.lonMax() + 180) / o.cellDegrees);
        int y0 = (int) Math.floor((q.latMin() + 90) / o.cellDegrees);
        int y1 = (int) Math.floor((q.latMax() + 90) / o.cellDegrees);
        int[] cells = new int[(x1 - x0 + 1) * (y1 - y0 + 1)];
        int i = 0;
        for (int x = x0; x <= x1; x++) {
            for (int y = y0; y <= y1; y++) {
                cells[i++] = x * rowsPerColumn + y;
            }
        }
        return cells;
    }

    List<Query> queries(Workload.Wander wander, long rows, Instant start, Instant end) {
        List<Query> queries = new ArrayList<>();
        for (int i = 0; i < o.historyQueries; i++) {
            SplittableRandom r = PositionsBenchmark.queryRandom(b.workload, 1_000_000 + i);
            Workload.Row centre = wander.row(r.nextLong(rows));
            double widthKm = 5 + 15 * r.nextDouble();
            double heightKm = 5 + 15 * r.nextDouble();
            double dLat = heightKm / 110.574 / 2;
            double dLon = widthKm / (111.320 * Math.cos(Math.toRadians(centre.lat()))) / 2;
            long windowMillis = 3_600_000L + (long) (r.nextDouble() * 5 * 3_600_000L);
            long span = end.toEpochMilli() - start.toEpochMilli() - windowMillis;
            Instant from = start.plusMillis((long) (r.nextDouble() * span)).truncatedTo(ChronoUnit.SECONDS);
            queries.add(new Query(
                    centre.lon() - dLon,
                    centre.lat() - dLat,
                    centre.lon() + dLon,
                    centre.lat() + dLat,
                    from,
                    from.plusMillis(windowMillis)));
        }
        return queries;
    }

    /** Creates the peer database and table, copies every row of Sextant's table; true if PostGIS. */
    boolean loadPeer(long expectedRows) throws Exception {
        b.createDatabase(b.peerDb);
        boolean postgis;
        try (Connection c = b.admin(b.peerDb)) {
            try {
                exec(c, "create extension postgis");
                postgis = true;
                b.report.line("PostGIS peer: PostGIS " + scalar(c, "select postgis_lib_version()") + " in database "
                        + b.peerDb + ".");
            } catch (SQLException e) {
                postgis = false;
                b.report.line("**PostGIS is not installed ("
                        + e.getMessage().lines().findFirst().orElse("")
                        + "): the peer is the best plain-SQL formulation instead.**");
            }
        }
        try (Connection c = b.admin(b.peerDb);
                Connection source = b.admin(b.db)) {
            exec(c, "set maintenance_work_mem = '1GB'");
            exec(
                    c,
                    "create table hist (\n"
                            + "    tenant_id uuid not null, asset_id uuid not null, event_time timestamptz not null,\n"
                            + "    received_at timestamptz not null, lon double precision not null, lat double precision not null,\n"
                            + "    altitude real, accuracy real, speed real, heading real, attributes jsonb,\n"
                            + (postgis
                                    ? "    geom geometry(Point, 4326) generated always as (st_setsrid(st_makepoint(lon, lat), 4326)) stored,\n"
                                    : "    pos point generated always as (point(lon, lat)) stored,\n")
                            + "    primary key (asset_id, event_time)\n"
                            + ") partition by range (event_time)");
            LocalDate first = LocalDate.parse(scalar(source, "select min(event_time)::date from position"));
            LocalDate last = LocalDate.parse(scalar(source, "select max(event_time)::date from position"));
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                exec(
                        c,
                        "create table hist_" + d.format(PositionsBenchmark.DAY)
                                + " partition of hist for values from ('" + d + "') to ('" + d.plusDays(1) + "')");
            }
            long t0 = System.nanoTime();
            long copied = PositionsBenchmark.copyBetween(
                    source,
                    "COPY (select " + PgCopy.COLUMNS + " from position) TO STDOUT (FORMAT binary)",
                    c,
                    "COPY hist (" + PgCopy.COLUMNS + ") FROM STDIN (FORMAT binary)");
            long copyNanos = System.nanoTime() - t0;
            t0 = System.nanoTime();
            exec(
                    c,
                    postgis
                            ? "create index hist_geom on hist using gist (geom)"
                            : "create index hist_pos on hist using gist (pos)");
            long gistNanos = System.nanoTime() - t0;
            t0 = System.nanoTime();
            exec(c, "create index hist_time on hist (event_time)");
            long timeNanos = System.nanoTime() - t0;
            exec(c, "vacuum analyze hist");
            if (copied != expectedRows) {
                throw new IllegalStateException("copied " + copied + " rows to the peer, expected " + expectedRows);
            }
            String gistName = postgis ? "hist_geom" : "hist_pos";
            peerIndexNote =
                    String.format(Locale.ROOT, "GiST %s s + btree %s s", seconds(gistNanos), seconds(timeNanos));
            peerIndexSize = scalar(
                    c,
                    "select pg_size_pretty((select sum(pg_relation_size(relid)) from pg_partition_tree('" + gistName
                            + "')) + (select sum(pg_relation_size(relid)) from pg_partition_tree('hist_time')))");
            b.report.line(String.format(
                    Locale.ROOT,
                    "Peer table `hist` (same columns, key and daily partitions, plus a `geometry(Point,4326)` column):"
                            + " %,d rows copied in %s s; %s built in %s; table size %s.",
                    copied,
                    seconds(copyNanos),
                    postgis ? "GiST (geom) and btree (event_time)" : "GiST (pos) and btree (event_time)",
                    peerIndexNote,
                    scalar(c, "select pg_size_pretty(sum(pg_table_size(relid))) from pg_partition_tree('hist')")));
        }
        return postgis;
    }

    private String peerIndexNote = "";
    private String peerIndexSize = "";

    enum Kind {
        BOX,
        CELL,
        POSTGIS
    }

    void design(
            Connection c, String name, String index, List<String> create, String sql, List<Query> queries, Kind kind)
            throws Exception {
        String build = "—";
        if (create != null && !create.isEmpty()) {
            long t0 = System.nanoTime();
            for (String ddl : create) {
                exec(c, ddl);
            }
            build = seconds(System.nanoTime() - t0) + " s";
            exec(c, "analyze position");
        }
        String size = index == null
                ? peerIndexSize
                : scalar(
                        c,
                        "select pg_size_pretty(sum(pg_relation_size(t.relid))) from unnest(string_to_array('" + index
                                + "', ',')) as i(name), pg_partition_tree(i.name::regclass) t");
        if (index == null) {
            build = peerIndexNote;
        }
        Latencies latency = null;
        int[] counts = new int[queries.size()];
        long totalRows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int pass = 0; pass < 2; pass++) {
                latency = new Latencies(queries.size());
                totalRows = 0;
                for (int i = 0; i < queries.size(); i++) {
                    Query q = queries.get(i);
                    long t0 = System.nanoTime();
                    bind(c, ps, q, kind);
                    int n = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getObject(1);
                            rs.getObject(2);
                            rs.getDouble(3);
                            rs.getDouble(4);
                            n++;
                        }
                    }
                    latency.add(System.nanoTime() - t0);
                    counts[i] = n;
                    totalRows += n;
                }
            }
        }
        String same;
        if (referenceCounts == null) {
            referenceCounts = counts;
            referenceName = name;
            same = "reference";
        } else {
            int differing = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != referenceCounts[i]) {
                    differing++;
                }
            }
            same = differing == 0 ? "yes" : "**NO: " + differing + " queries differ from " + referenceName + "**";
        }
        explain(c, name, sql, queries.getFirst(), kind);
        b.report.metric("history." + slug(name) + ".p50_ms", latency.percentileMicros(50) / 1000);
        b.report.metric("history." + slug(name) + ".p99_ms", latency.percentileMicros(99) / 1000);
        designRows.add(List.of(
                name,
                build,
                size,
                latency.p50(),
                latency.p99(),
                Latencies.micros(latency.meanMicros()),
                fmt(totalRows) + " / " + fmt((double) totalRows / queries.size()),
                same));
        System.out.printf(
                Locale.ROOT, "  [%s] p50 %s p99 %s rows %,d%n", name, latency.p50(), latency.p99(), totalRows);
    }

    void bind(Connection c, PreparedStatement ps, Query q, Kind kind) throws SQLException {
        int i = 1;
        ps.setObject(i++, b.defaultTenant);
        ps.setObject(i++, odt(q.from()));
        ps.setObject(i++, odt(q.to()));
        ps.setDouble(i++, q.lonMin());
        ps.setDouble(i++, q.latMin());
        ps.setDouble(i++, q.lonMax());
        ps.setDouble(i++, q.latMax());
        if (kind == Kind.CELL) {
            ps.setArray(i, PositionsBenchmark.intArray(c, cells(q)));
        }
    }

    static List<String> secondaryIndexNames(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                        select x.relname from pg_index i join pg_class x on x.oid = i.indexrelid
                        where i.indrelid = 'public.position'::regclass and not i.indisprimary""");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    void explain(Connection c, String name, String sql, Query q, Kind kind) throws Exception {
        StringBuilder plan = new StringBuilder(name).append("\n").append(sql).append("\n\n");
        try (PreparedStatement ps = c.prepareStatement("explain (analyze, buffers) " + sql)) {
            bind(c, ps, q, kind);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        Files.writeString(b.out.resolve("explain-" + slug(name) + ".txt"), plan.toString());
    }

    static String slug(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
