package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Who is inside a zone now: from the enter event to the exit event (the margin holds an asset
 * jittering on the edge inside), only the occupants whose position the caller may see, and a zone
 * the caller cannot read is as missing as another tenant's.
 */
class ZoneOccupancyIT extends SextantIT {

    private static final List<List<Double>> DEPOT = List.of(
            List.of(10.0, 50.0),
            List.of(10.01, 50.0),
            List.of(10.01, 50.01),
            List.of(10.0, 50.01),
            List.of(10.0, 50.0));

    private final Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    private String zone(String token, List<String> tags) {
        Response created = api.post("/api/v1/zones")
                .bearer(token)
                .json(Map.of(
                        "name",
                        "Depot",
                        "tags",
                        tags,
                        "fence",
                        Map.of("marginMeters", 20),
                        "geometry",
                        Map.of("type", "Polygon", "coordinates", List.of(DEPOT))))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private void at(String token, String externalId, int second, double lon, double lat) {
        Response response = api.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(Map.of(
                        "externalId", externalId, "time", t0.plusSeconds(second).toString(), "lon", lon, "lat", lat)))
                .send();
        assertThat(response.json().get("accepted").asInt()).as("%s", response).isEqualTo(1);
    }

    private List<String> occupants(String token, String zoneId) {
        Response response =
                api.get("/api/v1/zones/" + zoneId + "/occupants").bearer(token).send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        JsonNode body = response.json();
        List<String> ids = new ArrayList<>();
        body.get("occupants").forEach(o -> ids.add(o.get("assetId").asString()));
        assertThat(body.get("count").asInt()).isEqualTo(ids.size());
        return ids;
    }

    @Test
    void an_asset_occupies_a_zone_from_its_enter_to_its_exit() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        String truck = createAsset(token, "truck", "truck", List.of()).get("id").asString();
        String van = createAsset(token, "van", "van", List.of()).get("id").asString();
        String depot = zone(token, List.of());

        at(token, "truck", 0, 9.99, 50.005);
        at(token, "van", 0, 9.98, 50.005);
        assertThat(occupants(token, depot)).isEmpty();

        at(token, "truck", 60, 10.005, 50.005);
        Response inside =
                api.get("/api/v1/zones/" + depot + "/occupants").bearer(token).send();
        JsonNode occupant = inside.json().get("occupants").get(0);
        assertThat(occupant.get("assetId").asString()).isEqualTo(truck);
        assertThat(occupant.get("since").asString())
                .isEqualTo(t0.plusSeconds(60).toString());
        assertThat(occupant.get("position").get("lon").asDouble()).isEqualTo(10.005);

        // Five metres outside the west edge, within the 20 m margin: still inside.
        at(token, "truck", 120, 9.99993, 50.005);
        at(token, "van", 120, 10.002, 50.002);
        assertThat(occupants(token, depot)).containsExactly(truck, van);

        at(token, "truck", 180, 10.02, 50.005);
        assertThat(occupants(token, depot)).containsExactly(van);
    }

    @Test
    void occupants_are_those_the_caller_may_see_in_zones_it_may_read() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        String mine = createAsset(token, "mine", "truck", List.of("fleet-a"))
                .get("id")
                .asString();
        createAsset(token, "theirs", "truck", List.of("fleet-b"));
        String depot = zone(token, List.of("depots"));
        String secret = zone(token, List.of("secret"));
        at(token, "mine", 0, 10.005, 50.005);
        at(token, "theirs", 0, 10.006, 50.006);
        assertThat(occupants(token, depot)).hasSize(2);

        String name = "viewer-" + tenant.slug();
        String userId = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(token)
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send()
                .json()
                .get("id")
                .asString();
        Response grant = api.post("/api/v1/grants")
                .bearer(token)
                .json(Map.of(
                        "subject",
                        "user:" + userId,
                        "role",
                        "viewer",
                        "scope",
                        Map.of("assetTags", List.of("fleet-a"), "zoneTags", List.of("depots"))))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        String viewer = api.signIn(name, "password-of-" + name);

        assertThat(occupants(viewer, depot)).containsExactly(mine);
        assertThat(api.get("/api/v1/zones/" + secret + "/occupants")
                        .bearer(viewer)
                        .send()
                        .status())
                .isEqualTo(404);
        TenantFixture other = newTenant();
        assertThat(api.get("/api/v1/zones/" + depot + "/occupants")
                        .bearer(other.adminToken())
                        .send()
                        .status())
                .isEqualTo(404);
    }
}
