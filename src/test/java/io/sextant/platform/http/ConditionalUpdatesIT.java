package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * If-Match as RFC 9110 §13.1.1 defines it, on every resource that takes it: a list of entity tags
 * is true when one of them is the current one (strong comparison), {@code *} when the resource
 * exists. A condition that is false changes nothing.
 */
class ConditionalUpdatesIT extends SextantIT {

    private static final List<List<Double>> SQUARE =
            List.of(List.of(2.0, 48.0), List.of(2.1, 48.0), List.of(2.1, 48.1), List.of(2.0, 48.1), List.of(2.0, 48.0));

    @Test
    void an_asset_update_applies_when_the_if_match_list_names_its_version_and_changes_nothing_when_it_does_not() {
        TenantFixture tenant = newTenant();
        String path = "/api/v1/assets/"
                + createAsset(tenant.adminToken(), "van-1", "vehicle", List.of())
                        .get("id")
                        .asString();

        Response stale = put(tenant, path, "\"3\", \"2\", W/\"1\"", "Stale");
        assertThat(stale.status()).as("%s", stale).isEqualTo(412);
        assertThat(stale.json().get("type").asString()).isEqualTo("urn:sextant:problem:precondition-failed");
        assertThat(stale.json().get("detail").asString()).contains("version 1");
        assertThat(read(tenant, path).header("ETag")).isEqualTo("\"1\"");

        Response listed = put(tenant, path, "\"0\", \"1\"", "Listed");
        assertThat(listed.status()).as("%s", listed).isEqualTo(200);
        assertThat(listed.header("ETag")).isEqualTo("\"2\"");

        Response any = put(tenant, path, "*", "Any");
        assertThat(any.status()).as("%s", any).isEqualTo(200);
        assertThat(any.header("ETag")).isEqualTo("\"3\"");
        assertThat(read(tenant, path).json().get("name").asString()).isEqualTo("Any");

        Response malformed = put(tenant, path, "\"3\" junk", "Malformed");
        assertThat(malformed.status()).as("%s", malformed).isEqualTo(412);
        assertThat(read(tenant, path).json().get("name").asString()).isEqualTo("Any");

        Response staleDelete = api.delete(path)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\", \"2\"")
                .send();
        assertThat(staleDelete.status()).as("%s", staleDelete).isEqualTo(412);
        assertThat(read(tenant, path).status()).isEqualTo(200);

        Response deleted = api.delete(path)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"2\", \"3\"")
                .send();
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);
        assertThat(read(tenant, path).status()).isEqualTo(404);

        Response none = api.delete(path)
                .bearer(tenant.adminToken())
                .header("If-Match", "*")
                .send();
        assertThat(none.status())
                .as("If-Match: * on a resource that is gone: %s", none)
                .isEqualTo(404);
        Response unconditional = api.put("/api/v1/assets/" + UUID.randomUUID())
                .bearer(tenant.adminToken())
                .header("If-Match", "*")
                .json(Map.of("externalId", "ghost", "name", "Ghost", "type", "vehicle"))
                .send();
        assertThat(unconditional.status()).as("%s", unconditional).isEqualTo(404);
    }

    @Test
    void zones_subscriptions_and_roles_take_an_if_match_list_or_a_star_too() {
        TenantFixture tenant = newTenant();
        Response zone = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "depot", "geometry", Map.of("type", "Polygon", "coordinates", List.of(SQUARE))))
                .send();
        assertThat(zone.status()).as("%s", zone).isEqualTo(201);
        String zonePath = "/api/v1/zones/" + zone.json().get("id").asString();
        Map<String, Object> zoneBody =
                Map.of("name", "depot 2", "geometry", Map.of("type", "Polygon", "coordinates", List.of(SQUARE)));
        Response zoneStale = api.put(zonePath)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"2\", \"3\"")
                .json(zoneBody)
                .send();
        assertThat(zoneStale.status()).as("%s", zoneStale).isEqualTo(412);
        Response zoneListed = api.put(zonePath)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"2\", \"1\"")
                .json(zoneBody)
                .send();
        assertThat(zoneListed.status()).as("%s", zoneListed).isEqualTo(200);
        assertThat(zoneListed.header("ETag")).isEqualTo("\"2\"");
        Response zoneDeleted = api.delete(zonePath)
                .bearer(tenant.adminToken())
                .header("If-Match", "*")
                .send();
        assertThat(zoneDeleted.status()).as("%s", zoneDeleted).isEqualTo(204);

        Response subscription = api.post("/api/v1/subscriptions")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "name", "hooks", "channel", Map.of("type", "webhook", "url", "https://93.184.216.34/hooks")))
                .send();
        assertThat(subscription.status()).as("%s", subscription).isEqualTo(201);
        String subscriptionPath =
                "/api/v1/subscriptions/" + subscription.json().get("id").asString();
        Response subscriptionStale = api.method("PATCH", subscriptionPath)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"2\", \"3\"")
                .json(Map.of("enabled", false))
                .send();
        assertThat(subscriptionStale.status()).as("%s", subscriptionStale).isEqualTo(412);
        Response subscriptionAny = api.method("PATCH", subscriptionPath)
                .bearer(tenant.adminToken())
                .header("If-Match", "*")
                .json(Map.of("enabled", false))
                .send();
        assertThat(subscriptionAny.status()).as("%s", subscriptionAny).isEqualTo(200);
        assertThat(subscriptionAny.json().get("enabled").asBoolean()).isFalse();
        Response subscriptionStaleDelete = api.delete(subscriptionPath)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\"")
                .send();
        assertThat(subscriptionStaleDelete.status())
                .as("%s", subscriptionStaleDelete)
                .isEqualTo(412);
        Response subscriptionDeleted = api.delete(subscriptionPath)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\", \"2\"")
                .send();
        assertThat(subscriptionDeleted.status()).as("%s", subscriptionDeleted).isEqualTo(204);

        Response role = api.post("/api/v1/roles")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "watcher", "permissions", List.of("assets:read")))
                .send();
        assertThat(role.status()).as("%s", role).isEqualTo(201);
        Map<String, Object> roleBody = Map.of("permissions", List.of("assets:read", "zones:read"));
        Response roleStale = api.put("/api/v1/roles/watcher")
                .bearer(tenant.adminToken())
                .header("If-Match", "\"5\", \"6\"")
                .json(roleBody)
                .send();
        assertThat(roleStale.status()).as("%s", roleStale).isEqualTo(412);
        String current = role.header("ETag");
        Response roleListed = api.put("/api/v1/roles/watcher")
                .bearer(tenant.adminToken())
                .header("If-Match", "\"5\", " + current)
                .json(roleBody)
                .send();
        assertThat(roleListed.status()).as("%s", roleListed).isEqualTo(200);
        assertThat(roleListed.json().get("permissions").size()).isEqualTo(2);
    }

    private Response put(TenantFixture tenant, String path, String ifMatch, String name) {
        return api.put(path)
                .bearer(tenant.adminToken())
                .header("If-Match", ifMatch)
                .json(Map.of("externalId", "van-1", "name", name, "type", "vehicle"))
                .send();
    }

    private Response read(TenantFixture tenant, String path) {
        return api.get(path).bearer(tenant.adminToken()).send();
    }
}
