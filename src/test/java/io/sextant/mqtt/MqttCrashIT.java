package io.sextant.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.PackagedJar;
import io.sextant.testing.PackagedJar.Instance;
import io.sextant.testing.TestMqtt;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar taking positions from MQTT, killed with -9 in the middle of the stream (while it
 * holds messages it received and has not acknowledged): every position of every message the broker
 * accepted is stored after the restart, once. A message Sextant had received but
 * not yet acknowledged when it died is delivered again to its persistent session; one published
 * while it was down is held by the broker meanwhile.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class MqttCrashIT {

    private static final String PASSWORD = "mqtt-crash-admin-password";
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(5);
    private static final int ASSETS = 4;
    /** Messages of {@link #PER_MESSAGE} positions each (NDJSON), fewer than a broker queues for an absent session. */
    private static final int MESSAGES = 400;

    private static final int PER_MESSAGE = 1_000;

    @TempDir
    Path workDir;

    @Test
    void every_message_the_broker_accepted_is_stored_once_across_a_kill_of_the_service() throws Exception {
        String root = TestMqtt.root("crash");
        String clientId = "sextant-crash-" + UUID.randomUUID();
        PackagedJar jar = new PackagedJar(workDir);
        int port = PackagedJar.freePort();

        // The assets and the source's key, made before MQTT is configured with the key.
        Instance setup = jar.start("setup", port, Map.of("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD));
        Map<String, String> assetIds = new LinkedHashMap<>();
        String key;
        try {
            setup.awaitHealthy(HEALTHY_WITHIN);
            String token = setup.api().signIn("admin", PASSWORD);
            for (int i = 0; i < ASSETS; i++) {
                assetIds.put("mqtt-" + i, createAsset(setup.api(), token, "mqtt-" + i));
            }
            Response created = setup.api()
                    .post("/api/v1/api-keys")
                    .bearer(token)
                    .json(Map.of("name", "mqtt", "permissions", List.of("positions:write")))
                    .send();
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            key = created.json().get("token").asString();
        } finally {
            setup.stop();
        }

        Map<String, String> settings = new HashMap<>();
        settings.put("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD);
        settings.put("SEXTANT_MQTT_URL", TestMqtt.url());
        settings.put("SEXTANT_MQTT_CLIENT_ID", clientId);
        settings.put("SEXTANT_MQTT_SOURCES_0_TOPIC", root + "/+/position");
        settings.put("SEXTANT_MQTT_SOURCES_0_API_KEY", key);
        settings.put("SEXTANT_MQTT_SOURCES_0_ASSET_LEVEL", "2");
        Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        Instance first = jar.start("first", port, settings);
        first.awaitHealthy(HEALTHY_WITHIN);
        await().atMost(Duration.ofSeconds(60)).until(() -> first.output().contains("Subscribed to MQTT"));
        // The publisher sends as fast as the broker takes them, so the service always has messages
        // in hand (received, being stored) when it is killed.
        Map<String, Set<Instant>> accepted = new java.util.concurrent.ConcurrentHashMap<>();
        assetIds.keySet().forEach(externalId -> accepted.put(externalId, ConcurrentHashMap.newKeySet()));
        Thread publishing = Thread.ofPlatform().start(() -> {
            try (MqttClient publisher = TestMqtt.publisher()) {
                for (int m = 0; m < MESSAGES; m++) {
                    String externalId = "mqtt-" + (m % ASSETS);
                    StringBuilder ndjson = new StringBuilder();
                    List<Instant> times = new ArrayList<>();
                    for (int p = 0; p < PER_MESSAGE; p++) {
                        Instant time = base.plusMillis((long) m * PER_MESSAGE + p);
                        times.add(time);
                        ndjson.append("{\"time\": \"")
                                .append(time)
                                .append("\", \"lon\": ")
                                .append(4.8 + p * 1e-5)
                                .append(", \"lat\": 45.7}\n");
                    }
                    // Returns once the broker has the message: from here on it must not be lost.
                    TestMqtt.publish(publisher, root + "/" + externalId + "/position", ndjson.toString());
                    accepted.get(externalId).addAll(times);
                }
                publisher.disconnect();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Instance second = null;
        try {
            // Storing 400,000 positions takes this machine several seconds: as soon as the first
            // is stored, the service is in the middle of the stream.
            String firstToken = first.api().signIn("admin", PASSWORD);
            String firstAsset = assetIds.values().iterator().next();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !first.api()
                            .get("/api/v1/assets/" + firstAsset + "/track?format=points&limit=1&from=" + base + "&to="
                                    + base.plus(1, ChronoUnit.DAYS))
                            .bearer(firstToken)
                            .send()
                            .json()
                            .get("features")
                            .isEmpty());
            first.kill();
            publishing.join(Duration.ofMinutes(2));
            assertThat(publishing.isAlive()).isFalse();
            int published = accepted.values().stream().mapToInt(Set::size).sum();
            assertThat(published).isEqualTo(MESSAGES * PER_MESSAGE);

            second = jar.start("second", port, settings);
            second.awaitHealthy(HEALTHY_WITHIN);
            ApiClient api = second.api();
            String token = api.signIn("admin", PASSWORD);
            // The broker delivers a session's messages in order: once every asset's last position is
            // stored, every message has been handled. Then the whole history, once.
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> assetIds.entrySet().stream().allMatch(asset -> {
                        Instant last = accepted.get(asset.getKey()).stream()
                                .max(Instant::compareTo)
                                .orElseThrow();
                        return api.get("/api/v1/assets/" + asset.getValue() + "/track?format=points&limit=1&from="
                                                + last + "&to=" + last.plusSeconds(1))
                                        .bearer(token)
                                        .send()
                                        .json()
                                        .get("features")
                                        .size()
                                == 1;
                    }));
            for (var asset : assetIds.entrySet()) {
                assertThat(track(api, token, asset.getValue(), base))
                        .as(asset.getKey())
                        .containsExactlyInAnyOrderElementsOf(accepted.get(asset.getKey()));
            }
        } finally {
            if (first.process().isAlive()) {
                first.kill();
            }
            if (second != null) {
                second.stop();
            }
            TestMqtt.forgetSession(clientId);
            // The services' logs outlive the temporary directory, for a failure to be read.
            for (String log : List.of("first.log", "second.log")) {
                if (java.nio.file.Files.exists(workDir.resolve(log))) {
                    java.nio.file.Files.copy(
                            workDir.resolve(log),
                            Path.of("target", "mqtt-crash-" + log),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String createAsset(ApiClient api, String token, String externalId) {
        Response created = api.post("/api/v1/assets")
                .bearer(token)
                .json(Map.of("externalId", externalId, "name", externalId, "type", "vehicle"))
                .send();
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** Every stored event time of one asset (a list, so a position stored twice would show). */
    private static List<Instant> track(ApiClient api, String token, String assetId, Instant base) {
        List<Instant> times = new ArrayList<>();
        String from = base.toString();
        String to = base.plus(1, ChronoUnit.DAYS).toString();
        while (true) {
            Response page = api.get(
                            "/api/v1/assets/" + assetId + "/track?format=points&limit=50000&from=" + from + "&to=" + to)
                    .bearer(token)
                    .send();
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode body = page.json();
            body.get("features")
                    .forEach(feature -> times.add(
                            Instant.parse(feature.get("properties").get("time").asString())));
            if (!body.get("truncated").asBoolean()) {
                return times;
            }
            from = body.get("nextFrom").asString();
        }
    }
}
