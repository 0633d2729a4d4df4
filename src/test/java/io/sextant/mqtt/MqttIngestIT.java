package io.sextant.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.SextantApplication;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import io.sextant.testing.TestMqtt;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * MQTT ingest end to end: a second node with the ingest role only, subscribed to a real broker (the
 * machine's Mosquitto in CI, else an embedded Moquette), on the test's database. Messages published
 * with a real MQTT client are stored once each, as the source's API key; what can never be stored is
 * dropped without holding up the rest; what is published while the node is down is stored when it
 * comes back (its persistent session).
 */
class MqttIngestIT extends SextantIT {

    private static final Duration STORED_WITHIN = Duration.ofSeconds(20);
    private static final String ROOT = TestMqtt.root("ingest");
    private static final String CLIENT_ID = "sextant-test-" + UUID.randomUUID();

    private static ConfigurableApplicationContext ingestNode;
    private static TenantFixture tenant;
    private static TenantFixture other;
    private static TenantFixture registering;
    private static String registeringKey;
    private static String writerKey;
    private static String revokedKeyId;
    private static String revokedKey;
    private static String readerKey;

    @Value("${sextant.db.url}")
    String databaseUrl;

    @Value("${sextant.secrets.keyset-file}")
    String keysetFile;

    @Autowired
    JdbcClient jdbc;

    /** The database's node checkpoints before this class started nodes of its own, and a client to it. */
    private static Set<UUID> checkpointsBefore;

    private static JdbcClient database;

    @AfterAll
    static void stopIngestNode() {
        if (ingestNode != null) {
            ingestNode.close();
        }
        TestMqtt.forgetSession(CLIENT_ID);
        // The stopped nodes' latest-position checkpoints would count for every start in the next
        // five minutes (LatestPositionWritesIT reads them on this shared database): gone with them.
        if (database != null) {
            for (UUID node : database.sql("select node from latest_position_checkpoint")
                    .query(UUID.class)
                    .list()) {
                if (!checkpointsBefore.contains(node)) {
                    database.sql("delete from latest_position_checkpoint where node = :node")
                            .param("node", node)
                            .update();
                }
            }
        }
    }

    private synchronized void fixtures() {
        if (tenant != null) {
            return;
        }
        TenantFixture made = newTenant();
        other = newTenant();
        // A tenant that registers unknown devices, before the ingest node first reads its settings.
        registering = newTenant();
        Response settings = api.put("/api/v1/tenants/" + registering.id() + "/settings")
                .bearer(adminToken)
                .json(Map.of("positionRetention", "P90D", "autoRegisterAssets", true))
                .send();
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        registeringKey = apiKey(registering, "positions:write").get("token").asString();
        tenant = made;
        writerKey = apiKey(tenant, "positions:write").get("token").asString();
        var revoked = apiKey(tenant, "positions:write");
        revokedKeyId = revoked.get("key").get("id").asString();
        revokedKey = revoked.get("token").asString();
        readerKey = apiKey(tenant, "positions:read").get("token").asString();
        createAsset(tenant.adminToken(), "truck-1", "truck", List.of());
        createAsset(tenant.adminToken(), "truck-2", "truck", List.of());
    }

    private synchronized ConfigurableApplicationContext ingestNode() {
        fixtures();
        if (ingestNode == null) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("sextant.mqtt.url", TestMqtt.url());
            properties.put("sextant.mqtt.client-id", CLIENT_ID);
            source(properties, 0, ROOT + "/positions/+/in", writerKey, "positions", "3");
            source(properties, 1, ROOT + "/owntracks/+/+", registeringKey, "owntracks", null);
            source(properties, 2, ROOT + "/revoked/#", revokedKey, "positions", null);
            source(properties, 3, ROOT + "/reader/#", readerKey, "positions", null);
            ingestNode = startIngestNode(properties);
            MqttIngest mqtt = ingestNode.getBean(MqttIngest.class);
            await().atMost(STORED_WITHIN).until(mqtt::connected);
        }
        return ingestNode;
    }

    /** A node with the ingest role only, on the test's database, with these MQTT settings. */
    private ConfigurableApplicationContext startIngestNode(Map<String, String> mqtt) {
        rememberCheckpoints();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sextant.db.url", databaseUrl);
        properties.put("sextant.secrets.keyset-file", keysetFile);
        properties.put("server.port", "0");
        properties.put("sextant.http.shutdown-drain", "0s");
        properties.put("sextant.auth.issuer", ISSUER);
        properties.put("sextant.auth.bootstrap.admin-password", ADMIN_PASSWORD);
        properties.put("sextant.roles", "ingest");
        properties.put("sextant.db.pool-size", "4");
        properties.put("logging.level.root", "WARN");
        properties.putAll(mqtt);
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(SextantApplication.class).run(args);
    }

    private synchronized void rememberCheckpoints() {
        if (database == null) {
            checkpointsBefore = Set.copyOf(jdbc.sql("select node from latest_position_checkpoint")
                    .query(UUID.class)
                    .list());
            database = jdbc;
        }
    }

    private static synchronized void forgetNode() {
        ingestNode = null;
    }

    private static void source(
            Map<String, String> properties, int index, String topic, String key, String format, String assetLevel) {
        String prefix = "sextant.mqtt.sources[" + index + "].";
        properties.put(prefix + "topic", topic);
        properties.put(prefix + "api-key", key);
        properties.put(prefix + "format", format);
        if (assetLevel != null) {
            properties.put(prefix + "asset-level", assetLevel);
        }
    }

    private tools.jackson.databind.JsonNode apiKey(TenantFixture owner, String... permissions) {
        Response created = api.post("/api/v1/api-keys")
                .bearer(owner.adminToken())
                .json(Map.of("name", "mqtt", "permissions", List.of(permissions)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static String position(String externalId, Instant time, double lon, double lat) {
        return "{\"externalId\": \"" + externalId + "\", \"time\": \"" + time + "\", \"lon\": " + lon + ", \"lat\": "
                + lat + "}";
    }

    /** The event times stored for the tenant's asset with this external id. */
    private Set<Instant> stored(TenantFixture owner, String externalId) {
        return new TreeSet<>(jdbc
                .sql("select p.event_time from position p join asset a on a.id = p.asset_id"
                        + " where a.tenant_id = ?::uuid and a.external_id = ?")
                .param(owner.id())
                .param(externalId)
                .query(java.sql.Timestamp.class)
                .list()
                .stream()
                .map(java.sql.Timestamp::toInstant)
                .toList());
    }

    private double dropped(String reason) {
        var counter = ingestNode()
                .getBean(MeterRegistry.class)
                .find("sextant.ingest.dropped")
                .tag("protocol", "mqtt")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void positions_in_every_format_are_stored_once_each_and_a_message_sent_twice_is_a_duplicate() throws Exception {
        ingestNode();
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            times.add(t.plusSeconds(i));
        }
        String feature = "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [4.85, 45.75]},"
                + " \"properties\": {\"externalId\": \"truck-1\", \"time\": \"%s\"}}";
        try (MqttClient client = TestMqtt.publisher()) {
            String topic = ROOT + "/positions/any/in";
            TestMqtt.publish(client, topic, position("truck-1", times.get(0), 4.85, 45.75));
            TestMqtt.publish(
                    client,
                    topic,
                    "[" + position("truck-1", times.get(1), 4.85, 45.75) + ","
                            + position("truck-1", times.get(2), 4.85, 45.75) + "]");
            TestMqtt.publish(
                    client,
                    topic,
                    position("truck-1", times.get(3), 4.85, 45.75) + "\n"
                            + position("truck-1", times.get(4), 4.85, 45.75) + "\n");
            TestMqtt.publish(
                    client,
                    topic,
                    "{\"type\": \"FeatureCollection\", \"features\": [" + feature.formatted(times.get(5)) + ", "
                            + feature.formatted(times.get(6)) + "]}");
            TestMqtt.publish(client, topic, feature.formatted(times.get(7)));
            // No asset in the payload: the topic's third level names it.
            TestMqtt.publish(
                    client,
                    ROOT + "/positions/truck-2/in",
                    "{\"time\": \"" + times.get(8) + "\", \"lon\": 4.86, \"lat\": 45.76}");
            // Sent again: a duplicate, stored once.
            TestMqtt.publish(client, topic, position("truck-1", times.get(0), 4.85, 45.75));
            client.disconnect();
        }
        await().atMost(STORED_WITHIN)
                .untilAsserted(() -> assertThat(stored(tenant, "truck-1")).containsAll(times.subList(0, 8)));
        await().atMost(STORED_WITHIN)
                .untilAsserted(() -> assertThat(stored(tenant, "truck-2")).contains(times.get(8)));
        // Nothing else in the window (the other tests write hours apart from it).
        assertThat(stored(tenant, "truck-1"))
                .filteredOn(time -> !time.isBefore(t) && time.isBefore(t.plusSeconds(60)))
                .containsExactlyElementsOf(times.subList(0, 8));
        Integer rows = jdbc.sql("select count(*) from position p join asset a on a.id = p.asset_id"
                        + " where a.tenant_id = ?::uuid and a.external_id = 'truck-1' and p.event_time = ?")
                .param(tenant.id())
                .param(java.sql.Timestamp.from(times.get(0)))
                .query(Integer.class)
                .single();
        assertThat(rows).isEqualTo(1);
        assertThat(stored(other, "truck-1")).isEmpty();
    }

    @Test
    void a_message_that_can_never_be_stored_is_dropped_and_does_not_hold_up_those_after_it() throws Exception {
        ingestNode();
        double unreadable = dropped("unreadable");
        double unknown = dropped("unknown_asset");
        Instant t = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        try (MqttClient client = TestMqtt.publisher()) {
            String topic = ROOT + "/positions/any/in";
            TestMqtt.publish(client, topic, "this is not JSON");
            TestMqtt.publish(client, topic, position("no-such-truck", t, 4.85, 45.75));
            // Another tenant's asset, named by its id: as unknown to this key's tenant as a missing one.
            String foreign = createAsset(other.adminToken(), "foreign-1", "truck", List.of())
                    .get("id")
                    .asString();
            TestMqtt.publish(
                    client,
                    topic,
                    "{\"assetId\": \"" + foreign + "\", \"time\": \"" + t + "\", \"lon\": 4.85, \"lat\": 45.75}");
            TestMqtt.publish(client, topic, position("truck-2", t, 4.85, 45.75));
            client.disconnect();
        }
        await().atMost(STORED_WITHIN)
                .untilAsserted(() -> assertThat(stored(tenant, "truck-2")).contains(t));
        assertThat(dropped("unreadable")).isEqualTo(unreadable + 1);
        assertThat(dropped("unknown_asset")).isEqualTo(unknown + 2);
        assertThat(stored(other, "foreign-1")).isEmpty();
    }

    @Test
    void owntracks_messages_register_their_device_where_the_tenant_allows_it_and_others_are_ignored() throws Exception {
        ingestNode();
        long tst = Instant.now().minusSeconds(120).getEpochSecond();
        try (MqttClient client = TestMqtt.publisher()) {
            TestMqtt.publish(client, ROOT + "/owntracks/alice/phone", "{\"_type\": \"lwt\", \"tst\": " + tst + "}");
            TestMqtt.publish(
                    client,
                    ROOT + "/owntracks/alice/phone",
                    "{\"_type\": \"location\", \"lat\": 45.76, \"lon\": 4.84, \"tst\": " + tst
                            + ", \"acc\": 12, \"tid\": \"al\"}");
            client.disconnect();
        }
        await().atMost(STORED_WITHIN)
                .untilAsserted(() ->
                        assertThat(stored(registering, "alice/phone")).containsExactly(Instant.ofEpochSecond(tst)));
        assertThat(stored(tenant, "alice/phone")).isEmpty();
    }

    @Test
    void a_revoked_key_or_one_without_positions_write_drops_its_messages_without_holding_up_the_others()
            throws Exception {
        ingestNode();
        Response revoke = api.delete("/api/v1/api-keys/" + revokedKeyId)
                .bearer(tenant.adminToken())
                .send();
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(204);
        double credentials = dropped("credentials");
        double forbidden = dropped("forbidden");
        Instant t = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        try (MqttClient client = TestMqtt.publisher()) {
            TestMqtt.publish(client, ROOT + "/revoked/x", position("truck-1", t, 4.85, 45.75));
            TestMqtt.publish(client, ROOT + "/reader/x", position("truck-1", t.plusSeconds(1), 4.85, 45.75));
            TestMqtt.publish(client, ROOT + "/positions/any/in", position("truck-1", t.plusSeconds(2), 4.85, 45.75));
            client.disconnect();
        }
        await().atMost(STORED_WITHIN)
                .untilAsserted(() -> assertThat(stored(tenant, "truck-1")).contains(t.plusSeconds(2)));
        await().atMost(STORED_WITHIN).untilAsserted(() -> {
            assertThat(dropped("credentials")).isEqualTo(credentials + 1);
            assertThat(dropped("forbidden")).isEqualTo(forbidden + 1);
        });
        assertThat(stored(tenant, "truck-1")).doesNotContain(t, t.plusSeconds(1));
    }

    @Test
    void what_is_published_while_the_ingest_node_is_down_is_stored_when_it_comes_back() throws Exception {
        ingestNode().close();
        forgetNode();
        Instant t = Instant.now().minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        List<Instant> times = new ArrayList<>();
        try (MqttClient client = TestMqtt.publisher()) {
            for (int i = 0; i < 50; i++) {
                times.add(t.plusMillis(i * 10L));
                TestMqtt.publish(
                        client,
                        ROOT + "/positions/truck-2/in",
                        "{\"time\": \"" + times.getLast() + "\", \"lon\": 4.9, \"lat\": 45.7}");
            }
            client.disconnect();
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
        assertThat(stored(tenant, "truck-2")).doesNotContainAnyElementsOf(times);
        ingestNode();
        await().atMost(STORED_WITHIN)
                .untilAsserted(() -> assertThat(stored(tenant, "truck-2")).containsAll(times));
    }

    @Test
    void the_node_starts_without_its_broker_connects_when_it_comes_and_reconnects_after_a_restart() throws Exception {
        fixtures();
        // A broker of this test's own, which it stops and starts: not the shared one.
        int port = io.sextant.testing.PackagedJar.freePort();
        String url = "tcp://127.0.0.1:" + port;
        String topic = ROOT + "/outage/truck-1/in";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sextant.mqtt.url", url);
        properties.put("sextant.mqtt.client-id", "sextant-outage-" + UUID.randomUUID());
        source(properties, 0, ROOT + "/outage/+/in", writerKey, "positions", "3");
        Instant t = Instant.now().minus(5, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        io.moquette.broker.Server broker = null;
        try (ConfigurableApplicationContext node = startIngestNode(properties)) {
            MqttIngest mqtt = node.getBean(MqttIngest.class);
            int nodePort = ((org.springframework.boot.web.server.context.WebServerApplicationContext) node)
                    .getWebServer()
                    .getPort();
            var nodeApi = new io.sextant.testing.ApiClient(nodePort);
            assertThat(mqtt.connected()).isFalse();
            assertThat(nodeApi.get("/actuator/health")
                            .send()
                            .json()
                            .at("/components/mqtt/status")
                            .asString())
                    .isEqualTo("DOWN");

            broker = TestMqtt.startBroker(port);
            await().atMost(Duration.ofSeconds(30)).until(mqtt::connected);
            assertThat(nodeApi.get("/actuator/health")
                            .send()
                            .json()
                            .at("/components/mqtt/status")
                            .asString())
                    .isEqualTo("UP");
            try (MqttClient client = TestMqtt.publisher(url)) {
                TestMqtt.publish(client, topic, "{\"time\": \"" + t + "\", \"lon\": 4.8, \"lat\": 45.7}");
                client.disconnect();
            }
            await().atMost(STORED_WITHIN)
                    .untilAsserted(() -> assertThat(stored(tenant, "truck-1")).contains(t));

            // The broker restarts without its sessions (this one keeps none): the node reconnects and
            // subscribes again.
            broker.stopServer();
            await().atMost(Duration.ofSeconds(30)).until(() -> !mqtt.connected());
            broker = TestMqtt.startBroker(port);
            await().atMost(Duration.ofSeconds(30)).until(mqtt::connected);
            Instant later = t.plusSeconds(1);
            await().atMost(STORED_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                // Published until the subscription is back (a message before it reaches no one).
                try (MqttClient client = TestMqtt.publisher(url)) {
                    TestMqtt.publish(client, topic, "{\"time\": \"" + later + "\", \"lon\": 4.8, \"lat\": 45.7}");
                    client.disconnect();
                }
                assertThat(stored(tenant, "truck-1")).contains(later);
            });
        } finally {
            if (broker != null) {
                broker.stopServer();
            }
        }
    }
}
