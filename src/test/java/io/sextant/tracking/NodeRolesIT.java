package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.SextantApplication;
import io.sextant.testing.ApiClient;
import io.sextant.testing.SextantIT;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A second node with the api role only, on the same database as the test's node (all roles): it
 * serves queries and refuses ingest, and its live index follows the positions, assets and removals
 * written through the other node.
 */
class NodeRolesIT extends SextantIT {

    /** The follower reads every 500 ms; a position shows on the api node well within this. */
    private static final Duration FOLLOWS_WITHIN = Duration.ofSeconds(3);

    private static ConfigurableApplicationContext apiNode;

    @Value("${sextant.db.url}")
    String databaseUrl;

    @Autowired
    JdbcClient jdbc;

    @Value("${sextant.secrets.keyset-file}")
    String keysetFile;

    @AfterAll
    static void stopApiNode() {
        if (apiNode != null) {
            apiNode.close();
        }
    }

    private synchronized ApiClient apiNode() {
        if (apiNode == null) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("sextant.db.url", databaseUrl);
            properties.put("sextant.secrets.keyset-file", keysetFile);
            properties.put("server.port", "0");
            properties.put("sextant.http.shutdown-drain", "0s");
            properties.put("sextant.auth.issuer", ISSUER);
            properties.put("sextant.auth.bootstrap.admin-password", ADMIN_PASSWORD);
            properties.put("sextant.roles", "api");
            properties.put("sextant.db.pool-size", "4");
            properties.put("logging.level.root", "WARN");
            String[] args = properties.entrySet().stream()
                    .map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new);
            apiNode = new SpringApplicationBuilder(SextantApplication.class).run(args);
        }
        int port = ((WebServerApplicationContext) apiNode).getWebServer().getPort();
        return new ApiClient(port);
    }

    private static Map<String, Object> position(String externalId, Instant time, double lon, double lat) {
        return Map.of("externalId", externalId, "time", time.toString(), "lon", lon, "lat", lat);
    }

    private void ingest(String token, Map<String, Object> position) {
        var response = api.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(position))
                .send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** The asset's latest position as {@code node} serves it: [lon, lat], if it lists the asset. */
    private static Optional<List<Double>> latestOn(ApiClient node, String token, String assetId) {
        JsonNode body = node.get("/api/v1/positions/latest?bbox=-180,-90,180,90&limit=1000")
                .bearer(token)
                .send()
                .json();
        for (JsonNode feature : body.get("features")) {
            if (feature.get("properties").get("assetId").asString().equals(assetId)) {
                JsonNode coordinates = feature.get("geometry").get("coordinates");
                return Optional.of(List.of(
                        coordinates.get(0).asDouble(), coordinates.get(1).asDouble()));
            }
        }
        return Optional.empty();
    }

    @Test
    void an_api_node_follows_positions_ingested_through_another_node_and_forgets_removed_assets() {
        ApiClient apiNode = apiNode();
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        String assetId = createAsset(token, "follow-" + tenant.slug(), "vehicle", List.of())
                .get("id")
                .asString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        ingest(token, position("follow-" + tenant.slug(), now.minusSeconds(2), 4.90, 52.37));
        await().atMost(FOLLOWS_WITHIN)
                .until(() -> latestOn(apiNode, token, assetId).equals(Optional.of(List.of(4.90, 52.37))));

        ingest(token, position("follow-" + tenant.slug(), now.minusSeconds(1), 4.91, 52.38));
        await().atMost(FOLLOWS_WITHIN)
                .until(() -> latestOn(apiNode, token, assetId).equals(Optional.of(List.of(4.91, 52.38))));

        // An older position arriving late moves neither node's latest.
        ingest(token, position("follow-" + tenant.slug(), now.minusSeconds(30), 5.50, 52.00));
        await().during(Duration.ofSeconds(1))
                .atMost(FOLLOWS_WITHIN)
                .until(() -> latestOn(apiNode, token, assetId).equals(Optional.of(List.of(4.91, 52.38))));

        var removed = api.delete("/api/v1/assets/" + assetId).bearer(token).send();
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        await().atMost(FOLLOWS_WITHIN)
                .until(() -> latestOn(apiNode, token, assetId).isEmpty());
    }

    /**
     * A batch received long ago that commits only now (ingest saturated on one node) is still
     * followed: the node's in-flight floor holds the follower's reads back until it has committed.
     */
    @Test
    void a_position_committed_long_after_it_was_received_is_still_followed() throws InterruptedException {
        ApiClient apiNode = apiNode();
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        String assetId = createAsset(token, "late-" + tenant.slug(), "vehicle", List.of())
                .get("id")
                .asString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Meanwhile other positions keep arriving and the follower keeps reading.
        ingest(token, position("late-" + tenant.slug(), now.minusSeconds(60), 4.80, 52.30));
        await().atMost(FOLLOWS_WITHIN)
                .until(() -> latestOn(apiNode, token, assetId).equals(Optional.of(List.of(4.80, 52.30))));

        // A node takes an ingest request now and holds it in flight (saturated) ...
        UUID slowNode = UUID.randomUUID();
        Instant received = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        jdbc.sql("insert into latest_position_checkpoint (node, recover_from, in_flight_from, updated_at)"
                        + " values (:node, :from, :from, now())")
                .param("node", slowNode)
                .param("from", Timestamp.from(received))
                .update();
        try {
            // ... while the other node keeps ingesting and the follower keeps reading, for longer
            // than the reach-back of a follower that went by the newest row it saw.
            ingest(token, position("late-" + tenant.slug(), now.minusSeconds(50), 4.81, 52.31));
            createAsset(token, "busy-" + tenant.slug(), "vehicle", List.of());
            long until = System.nanoTime() + NodeFollower.MARGIN.plusSeconds(2).toNanos();
            for (int i = 0; System.nanoTime() < until; i++) {
                ingest(token, position("busy-" + tenant.slug(), now.plusMillis(i), 5.0, 53.0));
                Thread.sleep(200);
            }
            await().atMost(FOLLOWS_WITHIN)
                    .until(() -> latestOn(apiNode, token, assetId).equals(Optional.of(List.of(4.81, 52.31))));
            // ... then commits it: a newer position, stored with its receive time of seconds ago.
            jdbc.sql("""
                            insert into position (tenant_id, asset_id, event_time, received_at, lon, lat)
                            values (:tenant, :asset, :time, :received, 4.82, 52.32)""")
                    .param("tenant", UUID.fromString(tenant.id()))
                    .param("asset", UUID.fromString(assetId))
                    .param("time", Timestamp.from(now.minusSeconds(40)))
                    .param("received", Timestamp.from(received.plusMillis(1)))
                    .update();
            await().atMost(FOLLOWS_WITHIN)
                    .until(() -> latestOn(apiNode, token, assetId).equals(Optional.of(List.of(4.82, 52.32))));
        } finally {
            jdbc.sql("delete from latest_position_checkpoint where node = :node")
                    .param("node", slowNode)
                    .update();
        }
    }

    @Test
    void an_api_node_refuses_ingest_as_misdirected_and_serves_sign_in_queries_and_health() {
        ApiClient apiNode = apiNode();
        String token = apiNode.signIn(ADMIN, ADMIN_PASSWORD);

        var ingest = apiNode.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(position("x", Instant.now(), 1, 1)))
                .send();
        assertThat(ingest.status()).isEqualTo(421);
        assertThat(ingest.json().get("detail").asString()).contains("ingest role");
        assertThat(apiNode.post("/ingest/owntracks").json(Map.of()).send().status())
                .isEqualTo(421);

        assertThat(apiNode.get("/api/v1/tenants").bearer(token).send().status()).isEqualTo(200);
        assertThat(apiNode.get("/actuator/health").send().status()).isEqualTo(200);
    }
}
