package io.sextant.export;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.jobs.Job;
import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient.Download;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Exports end to end, over HTTP, on real PostgreSQL: positions ingested through the API, exports
 * started, followed and downloaded through the API, and their content held to exactly what the
 * history endpoints answer the same caller. Small chunks and pages so that content spans many chunks
 * and the job reads many pages.
 */
@TestPropertySource(
        properties = {
            "sextant.exports.chunk-size=1KB",
            "sextant.exports.page-size=7",
            "sextant.exports.max-positions=200",
            "sextant.jobs.poll-interval=100ms"
        })
class ExportsIT extends SextantIT {

    private static final String EXPORTS = "/api/v1/exports";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ExportRun run;

    @Autowired
    ExportExpiry expiry;

    @Autowired
    MeterRegistry meters;

    private TenantFixture tenant;
    private final Map<String, String> assets = new HashMap<>();
    private final Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private String from;
    private String to;

    @BeforeEach
    void fleet() {
        tenant = newTenant();
        from = t0.minusSeconds(1).toString();
        to = t0.plus(2, ChronoUnit.HOURS).toString();
        assets.put(
                "truck-1",
                createAsset(tenant.adminToken(), "truck-1", "truck", List.of("north"))
                        .get("id")
                        .asString());
        assets.put(
                "truck-2",
                createAsset(tenant.adminToken(), "truck-2", "truck", List.of("south"))
                        .get("id")
                        .asString());
        assets.put(
                "van-1",
                createAsset(tenant.adminToken(), "van-1", "van", List.of("north"))
                        .get("id")
                        .asString());
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Map<String, Object> fix = fix("truck-1", t0.plusSeconds(60L * i), 10.0 + i * 0.02, 50.0 + i * 0.01);
            if (i % 3 == 0) {
                fix.put("altitude", 100.5 + i);
                fix.put("speed", 12.5);
                fix.put("heading", 90.0);
            }
            if (i % 4 == 0) {
                // Every kind of character CSV must quote, and some it need not.
                fix.put("attributes", Map.of("note", "stop, \"loading\"\nbay " + i, "batt", i, "city", "Zürich"));
            }
            batch.add(fix);
        }
        for (int i = 0; i < 30; i++) {
            // Half inside the north zone (lon 10..11, lat 50..51), half to the east of it; none near
            // the data window's edge of the scoped test (t0 + 25 minutes, and the seconds the test takes).
            long offset = 90L * i + 7;
            if (offset < 1440 || offset > 1620) {
                batch.add(fix("truck-2", t0.plusSeconds(offset), 10.5 + i * 0.05, 50.5));
            }
        }
        for (int i = 0; i < 10; i++) {
            batch.add(fix("van-1", t0.plusSeconds(300L * i + 150), 10.2, 50.2 + i * 0.001));
        }
        ingest(tenant.adminToken(), batch);
    }

    private static Map<String, Object> fix(String externalId, Instant time, double lon, double lat) {
        Map<String, Object> fix = new LinkedHashMap<>();
        fix.put("externalId", externalId);
        fix.put("time", time.toString());
        fix.put("lon", lon);
        fix.put("lat", lat);
        fix.put("accuracy", 4.0);
        return fix;
    }

    private void ingest(String token, List<Map<String, Object>> batch) {
        Response ingested =
                api.post("/api/v1/positions").bearer(token).json(batch).send();
        assertThat(ingested.json().get("accepted").asInt()).as("%s", ingested).isEqualTo(batch.size());
    }

    // --- exports through the API -------------------------------------------------------------------

    private String start(String token, Map<String, Object> body) {
        Response started = api.post(EXPORTS).bearer(token).json(body).send();
        assertThat(started.status()).as("%s", started).isEqualTo(202);
        String id = started.json().get("id").asString();
        assertThat(started.header("Location")).isEqualTo(EXPORTS + "/" + id);
        assertThat(started.json().get("status").asString()).isEqualTo("queued");
        return id;
    }

    private JsonNode finished(String token, String id) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String status = get(token, EXPORTS + "/" + id).get("status").asString();
                    return status.equals("succeeded") || status.equals("failed");
                });
        return get(token, EXPORTS + "/" + id);
    }

    private JsonNode get(String token, String path) {
        Response response = api.get(path).bearer(token).send();
        assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
        return response.json();
    }

    private Download content(String token, String id) {
        return api.get(EXPORTS + "/" + id + "/content").bearer(token).download();
    }

    private Map<String, Object> trackExport(String format, String asset) {
        return Map.of("format", format, "assetId", assets.get(asset), "from", from, "to", to);
    }

    private Map<String, Object> boxExport(String format, List<Double> bbox) {
        return Map.of("format", format, "bbox", bbox, "from", from, "to", to);
    }

    // --- what the history endpoints answer --------------------------------------------------------

    private List<JsonNode> trackHistory(String token, String asset) {
        return features(get(
                token,
                "/api/v1/assets/" + assets.get(asset) + "/track?format=points&limit=100000&from=" + from + "&to="
                        + to));
    }

    /** Every page of the box history, at a small page size. */
    private List<JsonNode> boxHistory(String token, String bbox, String filters) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get(
                    token,
                    "/api/v1/positions/history?bbox=" + bbox + "&from=" + from + "&to=" + to + "&limit=9" + filters
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            all.addAll(features(page));
            cursor = page.has("nextCursor") ? page.get("nextCursor").asString() : null;
        } while (cursor != null);
        return all;
    }

    private List<JsonNode> polygonHistory(String token, Map<String, Object> geometry) {
        Response response = api.post("/api/v1/positions/history/search")
                .bearer(token)
                .json(Map.of("geometry", geometry, "from", from, "to", to, "limit", 10000))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().has("nextCursor")).isFalse();
        return features(response.json());
    }

    private static List<JsonNode> features(JsonNode collection) {
        List<JsonNode> features = new ArrayList<>();
        collection.get("features").forEach(features::add);
        return features;
    }

    // --- reading the downloads --------------------------------------------------------------------

    /** The GeoJSON features of a geojson or geojsonseq download, in order. */
    private static List<JsonNode> downloadedFeatures(String format, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (format.equals("geojson")) {
            JsonNode collection = JSON.readTree(text);
            assertThat(collection.get("type").asString()).isEqualTo("FeatureCollection");
            return features(collection);
        }
        List<JsonNode> features = new ArrayList<>();
        if (text.isEmpty()) {
            return features;
        }
        assertThat(text).startsWith("\u001E").endsWith("\n");
        String[] records = text.substring(1).split("\u001E", -1);
        for (String record : records) {
            assertThat(record).endsWith("\n");
            assertThat(record.indexOf('\n')).as("one LF, at the end").isEqualTo(record.length() - 1);
            features.add(JSON.readTree(record));
        }
        return features;
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = io.sextant.testing.ApiClient.JSON;

    /** A CSV row as the feature it stands for reads: the same fields, in the same representation. */
    private static List<String> csvRowOf(JsonNode feature) {
        JsonNode properties = feature.get("properties");
        JsonNode coordinates = feature.get("geometry").get("coordinates");
        return List.of(
                properties.get("assetId").asString(),
                properties.get("time").asString(),
                properties.get("receivedAt").asString(),
                Double.toString(coordinates.get(0).asDouble()),
                Double.toString(coordinates.get(1).asDouble()),
                coordinates.size() > 2 ? Double.toString(coordinates.get(2).asDouble()) : "",
                number(properties, "accuracy"),
                number(properties, "speed"),
                number(properties, "heading"),
                properties.has("attributes") ? "attributes" : "");
    }

    private static String number(JsonNode properties, String name) {
        return properties.has(name) ? Double.toString(properties.get(name).asDouble()) : "";
    }

    /** Checks a download against the features the history endpoints answer, in every format. */
    private void assertHolds(String format, Download download, List<JsonNode> expected) {
        assertThat(download.status()).as("%s", download.asText()).isEqualTo(200);
        byte[] body = download.body();
        if (format.equals("csv")) {
            List<List<String>> rows = ExportWritersTest.parseCsv(new String(body, StandardCharsets.UTF_8));
            assertThat(rows.getFirst()).containsExactlyElementsOf(CsvWriter.HEADER);
            List<List<String>> data = rows.subList(1, rows.size());
            assertThat(data).hasSameSizeAs(expected);
            for (int i = 0; i < data.size(); i++) {
                List<String> row = new ArrayList<>(data.get(i));
                List<String> wanted = csvRowOf(expected.get(i));
                if (!row.get(9).isEmpty()) {
                    assertThat(JSON.readTree(row.get(9)))
                            .isEqualTo(expected.get(i).get("properties").get("attributes"));
                    row.set(9, "attributes");
                }
                assertThat(row).as("row %d", i + 1).isEqualTo(wanted);
            }
        } else {
            assertThat(downloadedFeatures(format, body)).containsExactlyElementsOf(expected);
        }
    }

    private static void assertDescribes(Download download, JsonNode export) throws Exception {
        byte[] body = download.body();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
        String hex = HexFormat.of().formatHex(digest);
        assertThat(export.get("sizeBytes").asLong()).isEqualTo(body.length);
        assertThat(export.get("sha256").asString()).isEqualTo(hex);
        assertThat(download.header("Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(download.header("ETag")).isEqualTo("\"" + hex + "\"");
        assertThat(download.header("Repr-Digest"))
                .isEqualTo("sha-256=:" + Base64.getEncoder().encodeToString(digest) + ":");
        String id = export.get("id").asString();
        String extension = Map.of("geojson", "geojson", "geojsonseq", "geojsons", "csv", "csv")
                .get(export.get("format").asString());
        assertThat(download.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"export-" + id + "." + extension + "\"");
        assertThat(download.header("Content-Type"))
                .startsWith(Map.of(
                                "geojson", "application/geo+json",
                                "geojsonseq", "application/geo+json-seq",
                                "csv", "text/csv")
                        .get(export.get("format").asString()));
    }

    private double counted(String name, String format, @Nullable String outcome) {
        var search = meters.find(name).tag("format", format);
        var counter = (outcome == null ? search : search.tag("outcome", outcome)).counter();
        return counter == null ? 0 : counter.count();
    }

    private int chunksOf(String id) {
        return jdbc.sql("select count(*) from export_chunk where export_id = :id")
                .param("id", UUID.fromString(id))
                .query(Integer.class)
                .single();
    }

    // --- the tests --------------------------------------------------------------------------------

    @Test
    void a_track_in_each_format_holds_exactly_what_the_track_endpoint_answers_with_its_size_and_digest()
            throws Exception {
        List<JsonNode> expected = trackHistory(tenant.adminToken(), "truck-1");
        assertThat(expected).hasSize(40);

        for (String format : List.of("geojson", "geojsonseq", "csv")) {
            double completedBefore = counted("sextant.exports.completed", format, "succeeded");
            double bytesBefore = counted("sextant.exports.written", format, null);
            String id = start(tenant.adminToken(), trackExport(format, "truck-1"));
            JsonNode export = finished(tenant.adminToken(), id);
            assertThat(export.get("status").asString()).as("%s", export).isEqualTo("succeeded");
            assertThat(export.get("progress").get("positionsWritten").asLong()).isEqualTo(40);
            assertThat(export.get("progress").get("estimatedTotal").asLong()).isEqualTo(40);
            assertThat(export.get("query").get("assetId").asString()).isEqualTo(assets.get("truck-1"));
            assertThat(export.get("content").asString()).isEqualTo(EXPORTS + "/" + id + "/content");
            assertThat(Instant.parse(export.get("expiresAt").asString()))
                    .isEqualTo(
                            Instant.parse(export.get("finishedAt").asString()).plus(Duration.ofHours(24)));

            Download download = content(tenant.adminToken(), id);
            assertHolds(format, download, expected);
            assertDescribes(download, export);
            assertThat(chunksOf(id)).as("1 KB chunks").isEqualTo((int) Math.ceilDiv(download.body().length, 1024));

            Response notModified = api.get(EXPORTS + "/" + id + "/content")
                    .bearer(tenant.adminToken())
                    .header("If-None-Match", download.header("ETag"))
                    .send();
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
        }
    }

    @Test
    void an_area_by_box_or_polygon_with_asset_filters_holds_exactly_what_the_history_endpoints_answer() {
        List<JsonNode> inBox = boxHistory(tenant.adminToken(), "9.9,49.9,10.8,50.6", "");
        assertThat(inBox).hasSizeGreaterThan(20);
        String boxed = start(tenant.adminToken(), boxExport("geojsonseq", List.of(9.9, 49.9, 10.8, 50.6)));
        assertThat(finished(tenant.adminToken(), boxed).get("status").asString())
                .isEqualTo("succeeded");
        assertHolds("geojsonseq", content(tenant.adminToken(), boxed), inBox);

        List<JsonNode> trucks = boxHistory(tenant.adminToken(), "9.9,49.9,10.8,50.6", "&type=truck&tag=north");
        assertThat(trucks).isNotEmpty().hasSizeLessThan(inBox.size());
        Map<String, Object> filtered = new HashMap<>(boxExport("csv", List.of(9.9, 49.9, 10.8, 50.6)));
        filtered.put("type", "truck");
        filtered.put("tags", List.of("north"));
        String truckExport = start(tenant.adminToken(), filtered);
        assertThat(finished(tenant.adminToken(), truckExport).get("status").asString())
                .isEqualTo("succeeded");
        assertHolds("csv", content(tenant.adminToken(), truckExport), trucks);

        Map<String, Object> polygon = square(10.1, 50.1, 0.4);
        List<JsonNode> inPolygon = polygonHistory(tenant.adminToken(), polygon);
        assertThat(inPolygon).isNotEmpty();
        String shaped =
                start(tenant.adminToken(), Map.of("format", "geojson", "geometry", polygon, "from", from, "to", to));
        JsonNode export = finished(tenant.adminToken(), shaped);
        assertThat(export.get("status").asString()).isEqualTo("succeeded");
        assertThat(export.get("query").get("geometry")).isEqualTo(JSON.valueToTree(polygon));
        assertHolds("geojson", content(tenant.adminToken(), shaped), inPolygon);
    }

    @Test
    void a_caller_with_a_region_and_data_window_scoped_grant_exports_only_what_the_history_endpoints_give_them() {
        String north = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "north", "geometry", square(10, 50, 1)))
                .send()
                .json()
                .get("id")
                .asString();
        String name = "dispatcher-" + tenant.slug();
        Response user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send();
        // Inside the zone, and data no older than t0 + 25 minutes (give or take the seconds this takes).
        Response grant = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "subject",
                        "user:" + user.json().get("id").asString(),
                        "role",
                        "operator",
                        "scope",
                        Map.of("region", Map.of("zones", List.of(north)), "dataWindow", "PT2H35M")))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        String dispatcher = api.signIn(name, "password-of-" + name);

        String wide = "9,49,14,52";
        List<JsonNode> theirs = boxHistory(dispatcher, wide, "");
        List<JsonNode> everything = boxHistory(tenant.adminToken(), wide, "");
        assertThat(theirs).isNotEmpty().hasSizeLessThan(everything.size());
        for (String format : List.of("geojson", "csv")) {
            String id = start(dispatcher, boxExport(format, List.of(9.0, 49.0, 14.0, 52.0)));
            assertThat(finished(dispatcher, id).get("status").asString()).isEqualTo("succeeded");
            assertHolds(format, content(dispatcher, id), theirs);
        }

        List<JsonNode> theirTrack = trackHistory(dispatcher, "truck-1");
        assertThat(theirTrack).isNotEmpty().hasSizeLessThan(40);
        String track = start(dispatcher, trackExport("geojsonseq", "truck-1"));
        assertThat(finished(dispatcher, track).get("status").asString()).isEqualTo("succeeded");
        assertHolds("geojsonseq", content(dispatcher, track), theirTrack);

        // truck-2 was in the region only before the data window: nothing of its track is theirs.
        assertThat(trackHistory(tenant.adminToken(), "truck-2")).isNotEmpty();
        assertThat(trackHistory(dispatcher, "truck-2")).isEmpty();
        String empty = start(dispatcher, trackExport("csv", "truck-2"));
        JsonNode nothing = finished(dispatcher, empty);
        assertThat(nothing.get("status").asString()).isEqualTo("succeeded");
        assertThat(nothing.get("progress").get("positionsWritten").asLong()).isZero();
        assertHolds("csv", content(dispatcher, empty), List.of());
    }

    @Test
    void bad_input_is_a_4xx_problem_and_starts_nothing() {
        String truck = assets.get("truck-1");
        List<Map.Entry<String, Map<String, Object>>> invalid = new ArrayList<>();
        invalid.add(Map.entry("format", Map.of("assetId", truck, "from", from, "to", to)));
        invalid.add(Map.entry("format", Map.of("format", "xml", "assetId", truck, "from", from, "to", to)));
        invalid.add(Map.entry("assetId", Map.of("format", "csv", "from", from, "to", to)));
        invalid.add(Map.entry(
                "bbox",
                Map.of("format", "csv", "assetId", truck, "bbox", List.of(1, 2, 3, 4), "from", from, "to", to)));
        invalid.add(Map.entry("assetId", Map.of("format", "csv", "assetId", "truck-1", "from", from, "to", to)));
        invalid.add(Map.entry("from", Map.of("format", "csv", "assetId", truck, "to", to)));
        invalid.add(Map.entry("from", Map.of("format", "csv", "assetId", truck, "from", "yesterday", "to", to)));
        invalid.add(Map.entry("to", Map.of("format", "csv", "assetId", truck, "from", to, "to", from)));
        invalid.add(Map.entry(
                "to",
                Map.of(
                        "format",
                        "csv",
                        "assetId",
                        truck,
                        "from",
                        from,
                        "to",
                        t0.plus(40, ChronoUnit.DAYS).toString())));
        invalid.add(Map.entry("bbox", Map.of("format", "csv", "bbox", List.of(1, 2, 3), "from", from, "to", to)));
        invalid.add(
                Map.entry("bbox[1]", Map.of("format", "csv", "bbox", List.of(1, "2", 3, 4), "from", from, "to", to)));
        invalid.add(Map.entry("bbox", Map.of("format", "csv", "bbox", List.of(200, 0, 1, 1), "from", from, "to", to)));
        invalid.add(Map.entry(
                "bbox", Map.of("format", "csv", "bbox", List.of(-180, -90, 180, 90), "from", from, "to", to)));
        invalid.add(Map.entry(
                "geometry.coordinates[0]",
                Map.of(
                        "format",
                        "csv",
                        "geometry",
                        Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(1, 1), List.of(2, 2)))),
                        "from",
                        from,
                        "to",
                        to)));
        invalid.add(
                Map.entry("geometry", Map.of("format", "csv", "geometry", "POLYGON((1 1))", "from", from, "to", to)));
        invalid.add(Map.entry(
                "tags",
                Map.of("format", "csv", "bbox", List.of(10, 50, 11, 51), "tags", "north", "from", from, "to", to)));
        invalid.add(Map.entry(
                "tags[0]",
                Map.of("format", "csv", "bbox", List.of(10, 50, 11, 51), "tags", List.of(1), "from", from, "to", to)));
        invalid.add(
                Map.entry("type", Map.of("format", "csv", "assetId", truck, "type", "truck", "from", from, "to", to)));

        invalid.forEach(entry -> {
            String field = entry.getKey();
            Map<String, Object> body = entry.getValue();
            Response response =
                    api.post(EXPORTS).bearer(tenant.adminToken()).json(body).send();
            JsonNode problem = assertProblem(response, 400, EXPORTS);
            assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:validation");
            assertThat(problem.get("errors").get(0).get("field").asString())
                    .as("%s: %s", body, response)
                    .isEqualTo(field);
        });

        Response notJson = api.post(EXPORTS)
                .bearer(tenant.adminToken())
                .body("application/json", "[1]")
                .send();
        assertProblem(notJson, 400, EXPORTS);
        Response unknownAsset = api.post(EXPORTS)
                .bearer(tenant.adminToken())
                .json(Map.of("format", "csv", "assetId", UUID.randomUUID().toString(), "from", from, "to", to))
                .send();
        assertThat(assertProblem(unknownAsset, 404, EXPORTS).get("type").asString())
                .isEqualTo("urn:sextant:problem:not-found");
        assertProblem(
                api.get(EXPORTS + "?cursor=not-ours!")
                        .bearer(tenant.adminToken())
                        .send(),
                400,
                EXPORTS);
        assertProblem(api.get(EXPORTS + "?limit=0").bearer(tenant.adminToken()).send(), 400, EXPORTS);
        assertProblem(api.get(EXPORTS + "/42").bearer(tenant.adminToken()).send(), 400, EXPORTS + "/42");
        String missing = EXPORTS + "/" + UUID.randomUUID() + "/content";
        assertProblem(api.get(missing).bearer(tenant.adminToken()).send(), 404, missing);

        assertThat(get(tenant.adminToken(), EXPORTS).get("items").isEmpty()).isTrue();
        assertThat(get(tenant.adminToken(), "/api/v1/jobs?kind=" + ExportRun.KIND)
                        .get("items")
                        .isEmpty())
                .isTrue();
        assertThat(jdbc.sql("select count(*) from export where tenant_id = :tenant")
                        .param("tenant", UUID.fromString(tenant.id()))
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void a_tenant_has_at_most_the_configured_number_of_unfinished_exports() {
        UUID tenantId = UUID.fromString(tenant.id());
        for (int i = 0; i < 3; i++) {
            jdbc.sql("""
                            insert into export (id, tenant_id, requested_by, format, query, status, created_at)
                            values (gen_random_uuid(), :tenant, 'user:someone-else', 'csv', '{}', 'queued', now())""").param("tenant", tenantId).update();
        }

        Response refused = api.post(EXPORTS)
                .bearer(tenant.adminToken())
                .json(trackExport("csv", "truck-1"))
                .send();
        JsonNode problem = assertProblem(refused, 409, EXPORTS);
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:export-limit-reached");
        assertThat(problem.get("limit").asInt()).isEqualTo(3);
        assertThat(get(tenant.adminToken(), EXPORTS).get("items").isEmpty()).isTrue();

        jdbc.sql("delete from export where tenant_id = :tenant")
                .param("tenant", tenantId)
                .update();
        String id = start(tenant.adminToken(), trackExport("csv", "truck-1"));
        assertThat(finished(tenant.adminToken(), id).get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void an_export_over_the_positions_limit_fails_saying_why_and_has_no_content() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            many.add(fix("van-1", t0.plusSeconds(i * 5L + 1), 10.3, 50.3));
        }
        ingest(tenant.adminToken(), many);

        String id = start(tenant.adminToken(), trackExport("geojson", "van-1"));
        JsonNode export = finished(tenant.adminToken(), id);

        assertThat(export.get("status").asString()).isEqualTo("failed");
        assertThat(export.get("error").asString()).contains("more than 200 positions");
        assertThat(export.has("sizeBytes")).isFalse();
        assertThat(export.has("content")).isFalse();
        assertThat(chunksOf(id)).isZero();
        JsonNode problem =
                assertProblem(content(tenant.adminToken(), id).asText(), 409, EXPORTS + "/" + id + "/content");
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:export-failed");
        assertThat(problem.get("exportStatus").asString()).isEqualTo("failed");
        assertThat(problem.get("detail").asString()).contains("more than 200 positions");
    }

    @Test
    void another_tenant_or_another_caller_cannot_see_download_or_delete_an_export() {
        String id = start(tenant.adminToken(), trackExport("csv", "truck-1"));
        assertThat(finished(tenant.adminToken(), id).get("status").asString()).isEqualTo("succeeded");

        TenantFixture other = newTenant();
        String name = "colleague-" + tenant.slug();
        api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of("operator")))
                .send();
        String colleague = api.signIn(name, "password-of-" + name);

        for (String stranger : List.of(other.adminToken(), colleague)) {
            assertProblem(api.get(EXPORTS + "/" + id).bearer(stranger).send(), 404, EXPORTS + "/" + id);
            assertProblem(content(stranger, id).asText(), 404, EXPORTS + "/" + id + "/content");
            assertProblem(api.delete(EXPORTS + "/" + id).bearer(stranger).send(), 404, EXPORTS + "/" + id);
            assertThat(get(stranger, EXPORTS).get("items").isEmpty()).isTrue();
        }
        assertThat(content(tenant.adminToken(), id).status()).isEqualTo(200);

        Response viewer = api.post(EXPORTS)
                .bearer(viewerToken())
                .json(trackExport("csv", "truck-1"))
                .send();
        assertThat(assertProblem(viewer, 403, EXPORTS).get("type").asString())
                .isEqualTo("urn:sextant:problem:forbidden");
    }

    private String viewerToken() {
        String name = "viewer-" + tenant.slug();
        api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of("viewer")))
                .send();
        return api.signIn(name, "password-of-" + name);
    }

    @Test
    void the_list_pages_the_callers_exports_newest_first_and_a_deleted_export_is_gone_with_its_chunks() {
        List<String> ids = new ArrayList<>();
        for (String format : List.of("geojson", "geojsonseq", "csv")) {
            ids.add(start(tenant.adminToken(), trackExport(format, "van-1")));
            finished(tenant.adminToken(), ids.getLast());
        }
        JsonNode first = get(tenant.adminToken(), EXPORTS + "?limit=2");
        assertThat(first.get("items")).extracting(e -> e.get("id").asString()).containsExactly(ids.get(2), ids.get(1));
        JsonNode second = get(
                tenant.adminToken(),
                EXPORTS + "?limit=2&cursor=" + first.get("nextCursor").asString());
        assertThat(second.get("items")).extracting(e -> e.get("id").asString()).containsExactly(ids.get(0));
        assertThat(second.has("nextCursor")).isFalse();

        assertThat(chunksOf(ids.get(0))).isPositive();
        Response deleted = api.delete(EXPORTS + "/" + ids.get(0))
                .bearer(tenant.adminToken())
                .send();
        assertThat(deleted.status()).isEqualTo(204);
        assertProblem(
                api.get(EXPORTS + "/" + ids.get(0)).bearer(tenant.adminToken()).send(),
                404,
                EXPORTS + "/" + ids.get(0));
        assertThat(chunksOf(ids.get(0))).isZero();
    }

    @Test
    void on_expiry_the_content_is_410_and_its_chunks_are_removed() {
        String id = start(tenant.adminToken(), trackExport("geojson", "truck-1"));
        assertThat(finished(tenant.adminToken(), id).get("status").asString()).isEqualTo("succeeded");
        assertThat(chunksOf(id)).isPositive();

        jdbc.sql("update export set expires_at = now() - interval '1 second' where id = :id")
                .param("id", UUID.fromString(id))
                .update();
        TenantContext.callAsSystem(() -> {
            expiry.handle(job(ExportExpiry.KIND, null, "{}"));
            return true;
        });

        Response gone = content(tenant.adminToken(), id).asText();
        JsonNode problem = assertProblem(gone, 410, EXPORTS + "/" + id + "/content");
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:export-expired");
        JsonNode export = get(tenant.adminToken(), EXPORTS + "/" + id);
        assertThat(export.get("status").asString()).isEqualTo("expired");
        assertThat(export.has("content")).isFalse();
        assertThat(chunksOf(id)).isZero();

        jdbc.sql("update export set expires_at = now() - interval '25 hours' where id = :id")
                .param("id", UUID.fromString(id))
                .update();
        TenantContext.callAsSystem(() -> {
            expiry.handle(job(ExportExpiry.KIND, null, "{}"));
            return true;
        });
        assertProblem(api.get(EXPORTS + "/" + id).bearer(tenant.adminToken()).send(), 404, EXPORTS + "/" + id);
    }

    @Test
    void an_attempt_repeated_after_a_crash_starts_over_and_yields_one_correct_result() {
        String id = start(tenant.adminToken(), trackExport("csv", "truck-1"));
        JsonNode first = finished(tenant.adminToken(), id);
        assertThat(first.get("status").asString()).isEqualTo("succeeded");
        byte[] content = content(tenant.adminToken(), id).body();
        int chunks = chunksOf(id);
        UUID exportId = UUID.fromString(id);
        UUID tenantId = UUID.fromString(tenant.id());

        // As a crash leaves it: running under an attempt that died after writing a stray chunk.
        UUID deadAttempt = UUID.randomUUID();
        jdbc.sql("""
                        update export set status = 'running', run_token = :token, chunks = null, size_bytes = null,
                               sha256 = null, finished_at = null, expires_at = null where id = :id""").param("token", deadAttempt).param("id", exportId).update();
        jdbc.sql("insert into export_chunk (tenant_id, export_id, seq, data) values (:tenant, :id, 99, '\\xdead')")
                .param("tenant", tenantId)
                .param("id", exportId)
                .update();

        Job job = job(ExportRun.KIND, tenantId, ExportRun.payload(exportId));
        for (int attempt = 0; attempt < 2; attempt++) {
            TenantContext.callAs(tenantId, () -> {
                run.handle(job);
                return true;
            });
        }

        JsonNode again = get(tenant.adminToken(), EXPORTS + "/" + id);
        assertThat(again.get("status").asString()).isEqualTo("succeeded");
        assertThat(again.get("progress").get("positionsWritten").asLong()).isEqualTo(40);
        assertThat(again.get("sha256").asString()).isEqualTo(first.get("sha256").asString());
        assertThat(content(tenant.adminToken(), id).body()).isEqualTo(content);
        assertThat(chunksOf(id)).isEqualTo(chunks);
        assertThat(jdbc.sql("select max(seq) from export_chunk where export_id = :id")
                        .param("id", exportId)
                        .query(Integer.class)
                        .single())
                .as("the dead attempt's stray chunk is gone")
                .isEqualTo(chunks - 1);
    }

    @Test
    void an_attempt_overtaken_by_another_can_write_nothing_more() {
        String id = start(tenant.adminToken(), trackExport("csv", "truck-1"));
        assertThat(finished(tenant.adminToken(), id).get("status").asString()).isEqualTo("succeeded");
        UUID exportId = UUID.fromString(id);
        UUID tenantId = UUID.fromString(tenant.id());
        jdbc.sql("update export set status = 'running', chunks = null, size_bytes = null, sha256 = null where id = :id")
                .param("id", exportId)
                .update();

        UUID overtaken = UUID.randomUUID();
        UUID current = UUID.randomUUID();
        TenantContext.callAs(tenantId, () -> {
            assertThat(repository.start(tenantId, exportId, overtaken, Instant.now()))
                    .isPresent();
            assertThat(repository.start(tenantId, exportId, current, Instant.now()))
                    .isPresent();
            assertThat(repository.appendChunk(tenantId, exportId, overtaken, 0, new byte[] {1}))
                    .isFalse();
            assertThat(repository.progress(exportId, overtaken, 5, null)).isFalse();
            assertThat(repository.succeed(
                            exportId,
                            overtaken,
                            1,
                            new ExportRepository.Content(1, 1, "0".repeat(64)),
                            Instant.now(),
                            Instant.now()))
                    .isFalse();
            assertThat(repository.appendChunk(tenantId, exportId, current, 0, new byte[] {1}))
                    .isTrue();
            return true;
        });
        assertThat(chunksOf(id)).isEqualTo(1);
    }

    @Autowired
    ExportRepository repository;

    private static Job job(String kind, @Nullable UUID tenantId, String payload) {
        Instant now = Instant.now();
        return new Job(UUID.randomUUID(), kind, tenantId, payload, 1, now, now, null);
    }
}
