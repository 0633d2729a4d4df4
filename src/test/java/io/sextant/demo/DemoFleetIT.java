package io.sextant.demo;

import static io.sextant.testing.ApiClient.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The demo fleet switched on, on a database the test configured: created, signed into, driving. */
@TestPropertySource(
        properties = {
            "sextant.demo.enabled=true",
            "sextant.demo.password=" + DemoFleetIT.PASSWORD,
            "sextant.demo.interval=500ms"
        })
class DemoFleetIT extends SextantIT {

    static final String PASSWORD = "demo-password-for-tests";

    @Autowired
    DemoTenant demoTenant;

    @Autowired
    MeterRegistry meters;

    @Test
    void the_demo_tenant_has_its_user_zones_and_fifty_vehicles() {
        String token = api.signIn(DemoTenant.USERNAME, PASSWORD);

        JsonNode me = api.get("/api/v1/me").bearer(token).send().json();
        List<JsonNode> zones = items(token, "/api/v1/zones?limit=100");
        List<JsonNode> vehicles = items(token, "/api/v1/assets?type=vehicle&limit=100");

        assertThat(strings(me.get("permissions")))
                .contains("assets:read", "positions:read", "zones:write", "events:read", "jobs:read", "workflows:read");
        assertThat(zones).hasSize(DemoMap.DEPOTS.size() + DemoMap.SITES.size() + 1);
        assertThat(zones.stream().filter(zone -> tags(zone).contains("depots"))).hasSize(3);
        assertThat(zones.stream().filter(zone -> tags(zone).contains("sites"))).hasSize(DemoMap.SITES.size());
        assertThat(zones.stream().filter(zone -> tags(zone).contains("restricted")))
                .hasSize(1);
        assertThat(vehicles).hasSize(50);
        assertThat(vehicles.stream().map(v -> v.get("externalId").asString())).contains("demo-van-01", "demo-van-50");
    }

    @Test
    void the_vehicles_move_and_keep_reporting() {
        String token = api.signIn(DemoTenant.USERNAME, PASSWORD);
        await().atMost(Duration.ofSeconds(30)).until(() -> latest(token).size() >= 40);
        Map<String, String> before = latest(token);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> after = latest(token);
            long moved = after.entrySet().stream()
                    .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                    .count();
            assertThat(moved).as("vehicles whose latest position changed").isGreaterThanOrEqualTo(20);
        });
        double sent = meters.get("sextant.demo.fixes.sent").counter().count();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("sextant.demo.fixes.sent").counter().count() > sent + 40);
    }

    @Test
    void zone_events_appear_within_seconds() {
        String token = api.signIn(DemoTenant.USERNAME, PASSWORD);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> !items(token, "/api/v1/events?type=sextant.zone.entered&limit=10")
                        .isEmpty());
    }

    @Test
    void vans_leaving_a_depot_get_missions_that_move_on_their_zone_events() {
        String token = api.signIn(DemoTenant.USERNAME, PASSWORD);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> items(token, "/api/v1/workflows/instances?definition=mission&limit=100").stream()
                        .map(mission -> mission.get("state").asString())
                        .anyMatch(state ->
                                List.of("en_route", "on_site", "completed").contains(state)));
    }

    @Test
    void creating_the_demo_again_changes_nothing() {
        DemoTenant.Found again = demoTenant.findOrCreate(null);
        String token = api.signIn(DemoTenant.USERNAME, PASSWORD);

        assertThat(again.created()).isFalse();
        assertThat(items(token, "/api/v1/assets?limit=100")).hasSize(50);
        assertThat(items(token, "/api/v1/zones?limit=100")).hasSize(DemoMap.DEPOTS.size() + DemoMap.SITES.size() + 1);
        assertThat(items(token, "/api/v1/tenants/" + again.tenantId() + "/users?limit=100"))
                .hasSize(1);
        Response tenants =
                api.get("/api/v1/tenants?limit=100").bearer(adminToken).send();
        assertThat(tenants.json()
                        .get("items")
                        .valueStream()
                        .filter(t -> t.get("slug").asString().equals("demo")))
                .hasSize(1);
    }

    private Map<String, String> latest(String token) {
        Map<String, String> positions = new HashMap<>();
        api.get("/api/v1/positions/latest?type=vehicle")
                .bearer(token)
                .send()
                .json()
                .get("features")
                .forEach(f -> positions.put(
                        f.get("properties").get("assetId").asString(),
                        f.get("geometry").get("coordinates").toString()));
        return positions;
    }

    private List<JsonNode> items(String token, String path) {
        Response response = api.get(path).bearer(token).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("items").valueStream().toList();
    }

    private static List<String> tags(JsonNode zone) {
        return strings(zone.get("tags"));
    }
}
