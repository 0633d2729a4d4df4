package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.SextantApplication;
import io.sextant.testing.ApiClient;
import io.sextant.testing.TestDatabases;
import io.sextant.testing.TestOidcProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Fence states survive a restart: the service is stopped while an asset is inside a zone and
 * started again on the same database; the next fixes neither repeat the entry nor miss the exit.
 */
class FenceRestartIT {

    static final String PASSWORD = "restart-test-password";

    private static ConfigurableApplicationContext start(String databaseUrl) {
        // Command-line arguments: they outrank application.yml (builder properties would not).
        return new SpringApplicationBuilder(SextantApplication.class)
                .run(
                        "--server.port=0",
                        "--sextant.http.shutdown-drain=0s",
                        "--sextant.db.url=" + databaseUrl,
                        "--sextant.auth.issuer=http://sextant.test",
                        "--sextant.auth.bootstrap.admin-password=" + PASSWORD,
                        "--sextant.auth.external.issuer-uri="
                                + TestOidcProvider.get().issuer(),
                        "--sextant.http.rate-limit.enabled=false",
                        "--logging.level.root=WARN");
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new ApiClient(port);
    }

    private static void send(ApiClient api, String token, Instant time, double lon, double lat) {
        var response = api.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(Map.of("externalId", "truck-9", "time", time.toString(), "lon", lon, "lat", lat)))
                .send();
        assertThat(response.json().get("accepted").asInt())
                .as(response.toString())
                .isEqualTo(1);
    }

    private static List<String> types(ApiClient api, String token) {
        List<String> types = new ArrayList<>();
        JsonNode items =
                api.get("/api/v1/events?limit=100").bearer(token).send().json().get("items");
        items.forEach(
                e -> types.add(e.get("type").asString() + "@" + e.get("time").asString()));
        return types;
    }

    @Test
    void a_restart_neither_loses_nor_repeats_fence_events() {
        String databaseUrl = TestDatabases.create();
        Instant t0 = Instant.parse("2026-11-20T08:00:00Z");
        String token;
        try (var first = start(databaseUrl)) {
            ApiClient api = client(first);
            token = api.signIn("admin", PASSWORD);
            api.post("/api/v1/assets")
                    .bearer(token)
                    .json(Map.of("externalId", "truck-9", "name", "Truck 9", "type", "truck", "tags", List.of()))
                    .send();
            var zone = api.post("/api/v1/zones")
                    .bearer(token)
                    .json(Map.of(
                            "name",
                            "Yard",
                            "geometry",
                            Map.of("type", "Polygon", "coordinates", List.of(FenceEngineIT.DEPOT_RING)),
                            "fence",
                            Map.of("minFixes", 2)))
                    .send();
            assertThat(zone.status()).as(zone.toString()).isEqualTo(201);
            send(api, token, t0, 9.99, 50.005);
            send(api, token, t0.plusSeconds(60), 10.005, 50.005);
            send(api, token, t0.plusSeconds(120), 10.005, 50.006);
            // One fix outside: pending, not yet an exit (two are needed). The restart comes now.
            send(api, token, t0.plusSeconds(180), 10.02, 50.006);
            assertThat(types(api, token)).containsExactly("sextant.zone.entered@2026-11-20T08:01:00Z");
        }
        try (var second = start(databaseUrl)) {
            ApiClient api = client(second);
            token = api.signIn("admin", PASSWORD);
            send(api, token, t0.plusSeconds(240), 10.02, 50.007);
            assertThat(types(api, token))
                    .containsExactly(
                            "sextant.zone.entered@2026-11-20T08:01:00Z", "sextant.zone.exited@2026-11-20T08:03:00Z");
            // The exit shows the first fix outside, sent before the restart, not the one that confirmed it.
            JsonNode exit = api.get("/api/v1/events?type=sextant.zone.exited")
                    .bearer(token)
                    .send()
                    .json()
                    .get("items")
                    .get(0)
                    .get("data");
            assertThat(exit.get("position").get("time").asString()).isEqualTo("2026-11-20T08:03:00Z");
            assertThat(exit.get("position").get("lat").asDouble()).isEqualTo(50.006);
            assertThat(exit.get("enteredAt").asString()).isEqualTo("2026-11-20T08:01:00Z");
        }
    }
}
