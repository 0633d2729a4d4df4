package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Tracker apps' own protocols over real HTTP, authenticated by device API keys, landing as positions. */
@ExtendWith(OutputCaptureExtension.class)
class TrackerProtocolsIT extends SextantIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LoggingSystem logging;

    @Autowired
    MeterRegistry meters;

    /** One stored position, as the {@code position} table holds it. */
    record Row(
            Instant eventTime,
            double lon,
            double lat,
            Double altitude,
            Double accuracy,
            Double speed,
            Double heading,
            String attributes) {}

    private List<Row> positions(String assetId) {
        return jdbc.sql("""
                        select event_time, lon, lat, altitude::float8, accuracy::float8, speed::float8, heading::float8,
                               attributes::text
                        from position where asset_id = cast(:asset as uuid) order by event_time""")
                .param("asset", assetId)
                .query((rs, n) -> new Row(
                        rs.getTimestamp(1).toInstant(),
                        rs.getDouble(2),
                        rs.getDouble(3),
                        rs.getObject(4, Double.class),
                        rs.getObject(5, Double.class),
                        rs.getObject(6, Double.class),
                        rs.getObject(7, Double.class),
                        rs.getString(8)))
                .list();
    }

    private double dropped(String protocol, String reason) {
        var counter = meters.find("sextant.ingest.dropped")
                .tag("protocol", protocol)
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static String fixture(String name) {
        try (var in = TrackerProtocolsIT.class.getResourceAsStream("/protocols/" + name)) {
            return new String(java.util.Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8)
                    .strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long stored(String tenantId) {
        return jdbc.sql("select count(*) from position where tenant_id = cast(:t as uuid)")
                .param("t", tenantId)
                .query(Long.class)
                .single();
    }

    private String assetId(TenantFixture tenant, String externalId) {
        return createAsset(tenant.adminToken(), externalId, "phone", List.of())
                .get("id")
                .asString();
    }

    /** An API key as a device is given one: created by the tenant's administrator. */
    private String deviceKey(TenantFixture tenant, String... permissions) {
        Response created = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "device", "permissions", List.of(permissions)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asString();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static long aMinuteAgo() {
        return Instant.now().minus(1, ChronoUnit.MINUTES).getEpochSecond();
    }

    private Response ownTracks(String authorization, String user, String device, String message) {
        return api.post("/ingest/owntracks")
                .header("Authorization", authorization)
                .header("X-Limit-U", user)
                .header("X-Limit-D", device)
                .body("application/json", message)
                .send();
    }

    @Test
    void an_owntracks_location_with_basic_auth_lands_as_a_position_of_user_slash_device() {
        TenantFixture tenant = newTenant();
        String phone = assetId(tenant, "jane/phone");
        String key = deviceKey(tenant, "positions:write");
        long tst = aMinuteAgo();
        String location = """
                {"_type":"location","lat":48.856826,"lon":2.292713,"tst":%d,"acc":13,"alt":42,"vel":36,"cog":270,
                 "batt":87,"bs":1,"conn":"w","tid":"ph","t":"u","topic":"owntracks/jane/phone"}""".formatted(tst);

        Response response = ownTracks(basic("jane", key), "jane", "phone", location);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.body()).isEqualTo("[]");
        List<Row> rows = positions(phone);
        assertThat(rows).hasSize(1);
        Row row = rows.getFirst();
        assertThat(row.eventTime()).isEqualTo(Instant.ofEpochSecond(tst));
        assertThat(row.lat()).isEqualTo(48.856826);
        assertThat(row.lon()).isEqualTo(2.292713);
        assertThat(row.speed()).isCloseTo(10.0, within(1e-4));
        assertThat(row.heading()).isEqualTo(270.0);
        assertThat(row.accuracy()).isEqualTo(13.0);
        assertThat(row.altitude()).isEqualTo(42.0);
        assertThat(row.attributes())
                .contains("\"batt\": 87", "\"tid\": \"ph\"", "\"conn\": \"w\"")
                .doesNotContain("_type", "topic");

        Response again = ownTracks(basic("jane", key), "jane", "phone", location);
        assertThat(again.status())
                .as("a re-sent location is a duplicate, not an error")
                .isEqualTo(200);
        assertThat(positions(phone)).hasSize(1);
    }

    @Test
    void owntracks_messages_other_than_locations_are_acknowledged_and_not_stored() {
        TenantFixture tenant = newTenant();
        assetId(tenant, "jane/phone");
        String key = deviceKey(tenant, "positions:write");

        for (String message : List.of(
                "{\"_type\":\"lwt\",\"tst\":%d}".formatted(aMinuteAgo()),
                "{\"_type\":\"transition\",\"event\":\"enter\",\"desc\":\"Home\",\"lat\":48.85,\"lon\":2.29,\"tst\":%d}"
                        .formatted(aMinuteAgo()),
                "")) {
            Response response = ownTracks(basic("jane", key), "jane", "phone", message);
            assertThat(response.status()).as(message).isEqualTo(200);
            assertThat(response.body()).isEqualTo("[]");
        }
        assertThat(stored(tenant.id())).isZero();
    }

    @Test
    void owntracks_also_accepts_the_key_as_a_bearer_token() {
        TenantFixture tenant = newTenant();
        String tablet = assetId(tenant, "jane/tablet");
        String key = deviceKey(tenant, "positions:write");

        Response response = ownTracks(
                "Bearer " + key,
                "jane",
                "tablet",
                "{\"_type\":\"location\",\"lat\":1.5,\"lon\":2.5,\"tst\":%d}".formatted(aMinuteAgo()));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(positions(tablet)).hasSize(1);
    }

    @Test
    void an_owntracks_message_that_can_never_be_stored_is_answered_like_a_stored_one_and_counted_as_dropped() {
        TenantFixture tenant = newTenant();
        assetId(tenant, "jane/phone");
        String key = deviceKey(tenant, "positions:write");
        double unknownBefore = dropped("owntracks", "unknown_asset");
        double encryptedBefore = dropped("owntracks", "encrypted");
        double unreadableBefore = dropped("owntracks", "unreadable");
        double tooOldBefore = dropped("owntracks", "too_old");

        Response unknown = ownTracks(
                basic("jane", key),
                "jane",
                "ghost",
                "{\"_type\":\"location\",\"lat\":1.5,\"lon\":2.5,\"tst\":%d}".formatted(aMinuteAgo()));
        Response encrypted = ownTracks(basic("jane", key), "jane", "phone", fixture("owntracks-encrypted.json"));
        Response unreadable = ownTracks(basic("jane", key), "jane", "phone", "{\"_type\":\"location\",");
        Response tooOld = ownTracks(
                basic("jane", key), "jane", "phone", "{\"_type\":\"location\",\"lat\":1.5,\"lon\":2.5,\"tst\":1}");

        for (Response response : List.of(unknown, encrypted, unreadable, tooOld)) {
            assertThat(response.status())
                    .as("the app resends anything but a 2xx: %s", response)
                    .isEqualTo(200);
            assertThat(response.body()).isEqualTo("[]");
        }
        assertThat(unknown.header("Sextant-Dropped")).isEqualTo("unknown_asset");
        assertThat(encrypted.header("Sextant-Dropped")).isEqualTo("encrypted");
        assertThat(unreadable.header("Sextant-Dropped")).isEqualTo("unreadable");
        assertThat(tooOld.header("Sextant-Dropped")).isEqualTo("too_old");
        assertThat(dropped("owntracks", "unknown_asset")).isEqualTo(unknownBefore + 1);
        assertThat(dropped("owntracks", "encrypted")).isEqualTo(encryptedBefore + 1);
        assertThat(dropped("owntracks", "unreadable")).isEqualTo(unreadableBefore + 1);
        assertThat(dropped("owntracks", "too_old")).isEqualTo(tooOldBefore + 1);
        assertThat(stored(tenant.id())).isZero();
    }

    @Test
    void an_osmand_get_with_the_key_in_the_url_lands_as_a_position_and_answers_an_empty_200() {
        TenantFixture tenant = newTenant();
        String truck = assetId(tenant, "truck-7");
        String key = deviceKey(tenant, "positions:write");
        long timestamp = aMinuteAgo();

        Response response = api.get("/ingest/osmand?id=truck-7&timestamp=" + timestamp
                        + "&lat=48.856826&lon=2.292713&speed=10.0&bearing=90.0&altitude=35.0&accuracy=8.0&batt=87.0"
                        + "&charge=true&key=" + key)
                .send();

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        List<Row> rows = positions(truck);
        assertThat(rows).hasSize(1);
        Row row = rows.getFirst();
        assertThat(row.eventTime()).isEqualTo(Instant.ofEpochSecond(timestamp));
        assertThat(row.lat()).isEqualTo(48.856826);
        assertThat(row.lon()).isEqualTo(2.292713);
        assertThat(row.speed()).isCloseTo(10 * 0.514444, within(1e-4));
        assertThat(row.heading()).isEqualTo(90.0);
        assertThat(row.altitude()).isEqualTo(35.0);
        assertThat(row.accuracy()).isEqualTo(8.0);
        assertThat(row.attributes()).contains("\"batt\": 87.0", "\"charge\": true");
        assertThat(row.attributes()).doesNotContain("key", key);
    }

    @Test
    void an_osmand_form_post_and_a_traccar_client_json_post_land_as_positions() {
        TenantFixture tenant = newTenant();
        String van = assetId(tenant, "van-3");
        String key = deviceKey(tenant, "positions:write");
        Instant first = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        Instant second = first.plusSeconds(30);

        Response form = api.post("/ingest/osmand?key=" + key)
                .body(
                        "application/x-www-form-urlencoded",
                        "id=van-3&lat=-33.8688&lon=151.2093&timestamp="
                                + first.toString().replace(":", "%3A") + "&hdop=1.5&driverUniqueId=007")
                .send();
        Response json = api.post("/ingest/osmand")
                .bearer(key)
                .body("application/json", """
                        {"device_id":"van-3","location":{"timestamp":"%s",
                         "coords":{"latitude":-33.87,"longitude":151.21,"accuracy":5,"speed":12.5,"heading":-1,
                                   "altitude":20},
                         "is_moving":true,"battery":{"level":0.55,"is_charging":true},"activity":{"type":"in_vehicle"}}}""".formatted(second))
                .send();

        assertThat(form.status()).as(form.toString()).isEqualTo(200);
        assertThat(json.status()).as(json.toString()).isEqualTo(200);
        List<Row> rows = positions(van);
        assertThat(rows).extracting(Row::eventTime).containsExactly(first, second);
        assertThat(rows.get(0).lat()).isEqualTo(-33.8688);
        assertThat(rows.get(0).attributes()).contains("\"hdop\": 1.5", "\"driverUniqueId\": \"007\"");
        assertThat(rows.get(1).speed()).isEqualTo(12.5);
        assertThat(rows.get(1).heading()).isNull();
        assertThat(rows.get(1).attributes())
                .contains("\"batt\": 55", "\"charge\": true", "\"activity\": \"in_vehicle\"");
    }

    @Test
    void an_osmand_position_of_an_unknown_device_or_without_coordinates_is_dropped_with_a_200() {
        TenantFixture tenant = newTenant();
        assetId(tenant, "truck-7");
        String key = deviceKey(tenant, "positions:write");
        double unknownBefore = dropped("osmand", "unknown_asset");
        double unreadableBefore = dropped("osmand", "unreadable");

        Response unknown =
                api.get("/ingest/osmand?id=ghost&lat=1&lon=2&key=" + key).send();
        Response noLatitude =
                api.get("/ingest/osmand?id=truck-7&lon=2&key=" + key).send();
        Response badNumber =
                api.get("/ingest/osmand?id=truck-7&lat=north&lon=2&key=" + key).send();
        Response noId = api.get("/ingest/osmand?lat=1&lon=2&key=" + key).send();

        for (Response response : List.of(unknown, noLatitude, badNumber, noId)) {
            assertThat(response.status())
                    .as("Traccar Client retries the oldest position until it gets a 2xx: %s", response)
                    .isEqualTo(200);
            assertThat(response.body()).isEmpty();
        }
        assertThat(unknown.header("Sextant-Dropped")).isEqualTo("unknown_asset");
        assertThat(noLatitude.header("Sextant-Dropped")).isEqualTo("unreadable");
        assertThat(badNumber.header("Sextant-Dropped")).isEqualTo("unreadable");
        assertThat(noId.header("Sextant-Dropped")).isEqualTo("unreadable");
        assertThat(dropped("osmand", "unknown_asset")).isEqualTo(unknownBefore + 1);
        assertThat(dropped("osmand", "unreadable")).isEqualTo(unreadableBefore + 3);
        assertThat(stored(tenant.id())).isZero();
    }

    @Test
    void tracker_readings_come_back_as_attributes_of_latest_positions_and_track_features() {
        TenantFixture tenant = newTenant();
        String phone = assetId(tenant, "jane/phone");
        String pixel = assetId(tenant, "pixel-7");
        String handset = assetId(tenant, "8737767034");
        String key = deviceKey(tenant, "positions:write");
        long recent = aMinuteAgo();
        assertThat(ownTracks(
                                basic("jane", key),
                                "jane",
                                "phone",
                                fixture("owntracks-location.json").replace("\"tst\": 1700000000", "\"tst\": " + recent))
                        .status())
                .isEqualTo(200);
        String query = fixture("osmand-traccar-client.txt").lines().findFirst().orElseThrow();
        assertThat(api.get("/ingest/osmand?" + query.replace("timestamp=1700000000", "timestamp=" + recent) + "&key="
                                + key)
                        .send()
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/ingest/osmand")
                        .bearer(key)
                        .body(
                                "application/json",
                                fixture("osmand-json.json")
                                        .replace(
                                                "2023-11-14T22:13:20.444Z",
                                                Instant.ofEpochSecond(recent).toString()))
                        .send()
                        .status())
                .isEqualTo(200);

        // Every latest position, read from the database, and the nearest ones, from the live index.
        Map<String, JsonNode> latest = byAsset(api.get("/api/v1/positions/latest?limit=100")
                .bearer(tenant.adminToken())
                .send()
                .json());
        Map<String, JsonNode> nearest = byAsset(api.get("/api/v1/positions/latest?near=2.29,48.85&k=10")
                .bearer(tenant.adminToken())
                .send()
                .json());
        for (Map<String, JsonNode> found : List.of(latest, nearest)) {
            JsonNode ownTracks = found.get(phone).get("attributes");
            assertThat(ownTracks.get("batt").asInt()).isEqualTo(87);
            assertThat(ownTracks.get("tid").asString()).isEqualTo("ph");
            assertThat(ownTracks.get("conn").asString()).isEqualTo("w");
            assertThat(ownTracks.get("bs").asInt()).isEqualTo(1);
            JsonNode traccar = found.get(pixel).get("attributes");
            assertThat(traccar.get("batt").asDouble()).isEqualTo(87.0);
            assertThat(traccar.get("charge").asBoolean()).isTrue();
        }
        JsonNode traccarJson = latest.get(handset).get("attributes");
        assertThat(traccarJson.get("batt").asInt()).isEqualTo(79);
        assertThat(traccarJson.get("charge").asBoolean()).isFalse();

        String window = "from=" + Instant.ofEpochSecond(recent - 60) + "&to=" + Instant.ofEpochSecond(recent + 60);
        JsonNode points = api.get("/api/v1/assets/" + phone + "/track?format=points&" + window)
                .bearer(tenant.adminToken())
                .send()
                .json();
        assertThat(points.get("features")
                        .get(0)
                        .get("properties")
                        .get("attributes")
                        .get("tid")
                        .asString())
                .isEqualTo("ph");
        JsonNode line = api.get("/api/v1/assets/" + pixel + "/track?" + window)
                .bearer(tenant.adminToken())
                .send()
                .json();
        JsonNode parallel = line.get("features").get(0).get("properties").get("attributes");
        assertThat(parallel.size()).isEqualTo(1);
        assertThat(parallel.get(0).get("batt").asDouble()).isEqualTo(87.0);
    }

    private static Map<String, JsonNode> byAsset(JsonNode collection) {
        Map<String, JsonNode> properties = new java.util.HashMap<>();
        collection
                .get("features")
                .forEach(f -> properties.put(f.get("properties").get("assetId").asString(), f.get("properties")));
        return properties;
    }

    @Test
    void a_wrong_or_missing_key_is_a_401_problem_and_stores_nothing() {
        TenantFixture tenant = newTenant();
        assetId(tenant, "jane/phone");
        assetId(tenant, "truck-7");
        String key = deviceKey(tenant, "positions:write");
        String wrong = key.substring(0, key.length() - 4) + "AAAA";
        String location = "{\"_type\":\"location\",\"lat\":1.5,\"lon\":2.5,\"tst\":%d}".formatted(aMinuteAgo());

        Response wrongInUrl =
                api.get("/ingest/osmand?id=truck-7&lat=1&lon=2&key=" + wrong).send();
        Response wrongPassword = ownTracks(basic("jane", wrong), "jane", "phone", location);
        Response none = api.get("/ingest/osmand?id=truck-7&lat=1&lon=2").send();
        Response userToken = ownTracks("Bearer " + tenant.adminToken(), "jane", "phone", location);
        Response notBasic = ownTracks("Digest username=\"jane\"", "jane", "phone", location);

        for (Response response : List.of(wrongInUrl, wrongPassword, none, userToken, notBasic)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(401);
            assertThat(response.isProblem()).isTrue();
            assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:unauthorized");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
        assertThat(wrongInUrl.json().get("detail").asString()).isEqualTo("unknown API key");
        assertThat(wrongPassword.json().get("detail").asString()).isEqualTo("unknown API key");
        assertThat(none.json().get("detail").asString()).contains("API key", "Basic", "'key' query parameter");
        assertThat(userToken.json().get("detail").asString()).contains("API keys");
        assertThat(notBasic.json().get("detail").asString()).contains("unsupported Authorization scheme");
        assertThat(stored(tenant.id())).isZero();
    }

    @Test
    void a_key_without_positions_write_is_a_403_problem() {
        TenantFixture tenant = newTenant();
        assetId(tenant, "jane/phone");
        assetId(tenant, "truck-7");
        String reader = deviceKey(tenant, "positions:read");

        Response osmAnd =
                api.get("/ingest/osmand?id=truck-7&lat=1&lon=2&key=" + reader).send();
        Response ownTracks = ownTracks(
                basic("jane", reader),
                "jane",
                "phone",
                "{\"_type\":\"location\",\"lat\":1.5,\"lon\":2.5,\"tst\":%d}".formatted(aMinuteAgo()));

        for (Response response : List.of(osmAnd, ownTracks)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(403);
            assertThat(response.isProblem()).isTrue();
            assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:forbidden");
        }
        assertThat(stored(tenant.id())).isZero();
    }

    @Test
    void a_key_in_the_url_is_not_logged_even_when_request_lines_are_logged_at_debug(CapturedOutput output) {
        TenantFixture tenant = newTenant();
        assetId(tenant, "truck-7");
        String key = deviceKey(tenant, "positions:write");
        String unknownKey = key.substring(0, key.length() - 4) + "BBBB";
        List<String> loggers = List.of("org.springframework.security", "org.springframework.web");
        loggers.forEach(logger -> logging.setLogLevel(logger, LogLevel.DEBUG));
        try {
            assertThat(api.get("/ingest/osmand?id=truck-7&lat=1&lon=2&key=" + key)
                            .send()
                            .status())
                    .isEqualTo(200);
            assertThat(api.get("/ingest/osmand?id=ghost&lat=1&lon=2&key=" + key)
                            .send()
                            .header("Sextant-Dropped"))
                    .isEqualTo("unknown_asset");
            assertThat(api.get("/ingest/osmand?key=" + unknownKey + "&id=truck-7&lat=1&lon=2")
                            .send()
                            .status())
                    .isEqualTo(401);
        } finally {
            loggers.forEach(logger -> logging.setLogLevel(logger, null));
        }

        assertThat(output.getAll())
                .as("debug logging wrote the request lines, so the key would show if it were in them")
                .contains("GET /ingest/osmand?id=truck-7&lat=1&lon=2", "GET /ingest/osmand?id=ghost&lat=1&lon=2");
        assertThat(output.getAll()).doesNotContain(key, unknownKey, "key=sxk_");
    }
}
