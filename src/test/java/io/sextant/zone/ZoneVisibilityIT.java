package io.sextant.zone;

import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The zones API narrowed by the caller's grants (issue 10): a user whose grants name zone tags
 * reads exactly the zones (and versions) carrying one of them, in pages of every size that
 * concatenate to that set, and gets 404 for every other zone, for reads and changes alike.
 */
class ZoneVisibilityIT extends SextantIT {

    private static final String ZONES = "/api/v1/zones";

    private final AtomicInteger users = new AtomicInteger();

    /** A zone as the test made it. */
    record Made(String id, String name, List<String> tags) {}

    private static Map<String, Object> body(String name, List<String> tags, double west) {
        return Map.of("name", name, "tags", tags, "geometry", square(west, 50, 0.5));
    }

    private Made zone(TenantFixture tenant, String name, List<String> tags, double west) {
        Response created = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(body(name, tags, west))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return new Made(created.json().get("id").asString(), name, tags);
    }

    /** A user with {@code roles} of its own and one grant of {@code role} per scope; its token. */
    private String userWith(TenantFixture tenant, List<String> roles, String role, List<Map<String, Object>> scopes) {
        String name = "z" + users.incrementAndGet() + "-" + tenant.slug();
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", roles))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String userId = created.json().get("id").asString();
        for (Map<String, Object> scope : scopes) {
            Response granted = api.post("/api/v1/grants")
                    .bearer(tenant.adminToken())
                    .json(Map.of("subject", "user:" + userId, "role", role, "scope", scope))
                    .send();
            assertThat(granted.status()).as("%s", granted).isEqualTo(201);
        }
        return api.signIn(name, "password-of-" + name);
    }

    private static Map<String, Object> zoneTags(String... tags) {
        return Map.of("zoneTags", List.of(tags));
    }

    /** Every item of a paged list, page by page with {@code limit} a page, as {@code key} gives them. */
    private List<String> pages(String token, String path, int limit, String key) {
        List<String> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response response = api.get(path + (path.contains("?") ? "&" : "?") + "limit=" + limit
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(token)
                    .send();
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            JsonNode page = response.json();
            JsonNode next = page.get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
            if (cursor != null) {
                assertThat(page.get("items").size())
                        .as("a page with a next one is full")
                        .isEqualTo(limit);
            }
            page.get("items").forEach(item -> items.add(item.get(key).asString()));
            assertThat(++pages).as("pages end").isLessThan(1000);
        } while (cursor != null);
        return items;
    }

    /** The zones carrying one of {@code tags} (all with none), in the list's (id) order. */
    private static List<String> carrying(List<Made> zones, Set<String> tags) {
        TreeSet<String> ids = new TreeSet<>();
        for (Made zone : zones) {
            if (tags.isEmpty() || !Collections.disjoint(tags, zone.tags())) {
                ids.add(zone.id());
            }
        }
        return List.copyOf(ids);
    }

    private void seesExactly(String token, List<Made> zones, List<String> expected) {
        for (int limit = 1; limit <= zones.size() + 1; limit++) {
            assertThat(pages(token, ZONES, limit, "id"))
                    .as("pages of %d", limit)
                    .containsExactlyElementsOf(expected);
        }
        for (Made zone : zones) {
            Response read = api.get(ZONES + "/" + zone.id()).bearer(token).send();
            Response history =
                    api.get(ZONES + "/" + zone.id() + "/versions").bearer(token).send();
            if (expected.contains(zone.id())) {
                assertThat(read.status()).as("%s reached: %s", zone, read).isEqualTo(200);
                assertThat(history.status()).as("%s reached: %s", zone, history).isEqualTo(200);
            } else {
                assertThat(read.status()).as("%s out of reach: %s", zone, read).isEqualTo(404);
                assertThat(read.isProblem()).isTrue();
                assertThat(history.status())
                        .as("%s out of reach: %s", zone, history)
                        .isEqualTo(404);
            }
        }
    }

    @Test
    void a_user_limited_by_zone_tags_sees_exactly_the_zones_carrying_them() {
        TenantFixture tenant = newTenant();
        List<Made> zones = List.of(
                zone(tenant, "z1", List.of("public"), 10),
                zone(tenant, "z2", List.of("public", "ops"), 11),
                zone(tenant, "z3", List.of("secret"), 12),
                zone(tenant, "z4", List.of(), 13),
                zone(tenant, "z5", List.of("ops"), 14));

        String publicOnly = userWith(tenant, List.of(), "viewer", List.of(zoneTags("public")));
        seesExactly(publicOnly, zones, carrying(zones, Set.of("public")));
        String opsOrSecret =
                userWith(tenant, List.of(), "viewer", List.of(zoneTags("ops"), zoneTags("secret", "nothing")));
        seesExactly(opsOrSecret, zones, carrying(zones, Set.of("ops", "secret")));
        // A grant naming no zone tags reaches every zone, whatever the other grants name.
        String anyZone = userWith(
                tenant, List.of(), "viewer", List.of(zoneTags("public"), Map.of("assetTags", List.of("fleet-a"))));
        seesExactly(anyZone, zones, carrying(zones, Set.of()));
        seesExactly(tenant.adminToken(), zones, carrying(zones, Set.of()));

        // The list's own filters narrow within what is reached.
        assertThat(pages(publicOnly, ZONES + "?tag=ops", 1, "id"))
                .containsExactly(zones.get(1).id());
        assertThat(pages(publicOnly, ZONES + "?bbox=10.9,49,20,51", 1, "id"))
                .containsExactly(zones.get(1).id());
        assertThat(pages(opsOrSecret, ZONES + "?name=z", 2, "id"))
                .containsExactlyElementsOf(carrying(zones, Set.of("ops", "secret")));
    }

    @Test
    void each_version_is_judged_by_the_tags_it_had() {
        TenantFixture tenant = newTenant();
        Made z = zone(tenant, "changing", List.of("secret"), 10);
        Response v2 = api.put(ZONES + "/" + z.id())
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\"")
                .json(body("changing", List.of("public"), 10))
                .send();
        assertThat(v2.status()).as("%s", v2).isEqualTo(200);
        Response v3 = api.put(ZONES + "/" + z.id())
                .bearer(tenant.adminToken())
                .header("If-Match", "\"2\"")
                .json(body("changing", List.of("secret", "late"), 10))
                .send();
        assertThat(v3.status()).as("%s", v3).isEqualTo(200);
        List<String> validFrom = new ArrayList<>();
        api.get(ZONES + "/" + z.id() + "/versions")
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("items")
                .forEach(v -> validFrom.add(0, v.get("validFrom").asString()));
        assertThat(validFrom).hasSize(3);

        String publicOnly = userWith(tenant, List.of(), "viewer", List.of(zoneTags("public")));
        assertThat(api.get(ZONES + "/" + z.id()).bearer(publicOnly).send().status())
                .isEqualTo(404);
        for (int limit = 1; limit <= 3; limit++) {
            assertThat(pages(publicOnly, ZONES + "/" + z.id() + "/versions", limit, "version"))
                    .containsExactly("2");
        }
        assertThat(api.get(ZONES + "/" + z.id() + "?asOf=" + validFrom.get(0))
                        .bearer(publicOnly)
                        .send()
                        .status())
                .isEqualTo(404);
        Response asOf = api.get(ZONES + "/" + z.id() + "?asOf=" + validFrom.get(1))
                .bearer(publicOnly)
                .send();
        assertThat(asOf.status()).as("%s", asOf).isEqualTo(200);
        assertThat(asOf.json().get("version").asLong()).isEqualTo(2);
        assertThat(api.get(ZONES + "/" + z.id() + "?asOf=" + validFrom.get(2))
                        .bearer(publicOnly)
                        .send()
                        .status())
                .isEqualTo(404);

        String secret = userWith(tenant, List.of(), "viewer", List.of(zoneTags("secret")));
        assertThat(api.get(ZONES + "/" + z.id()).bearer(secret).send().status()).isEqualTo(200);
        assertThat(pages(secret, ZONES + "/" + z.id() + "/versions", 1, "version"))
                .containsExactly("3", "1");
        String nobody = userWith(tenant, List.of(), "viewer", List.of(zoneTags("other")));
        assertThat(api.get(ZONES + "/" + z.id() + "/versions")
                        .bearer(nobody)
                        .send()
                        .status())
                .isEqualTo(404);
    }

    @Test
    void a_writer_changes_and_deletes_only_the_zones_it_reaches() {
        TenantFixture tenant = newTenant();
        Made ops = zone(tenant, "ops", List.of("ops"), 10);
        Made other = zone(tenant, "other", List.of("public"), 11);
        String writer = userWith(tenant, List.of("viewer"), "operator", List.of(zoneTags("ops")));

        assertThat(api.get(ZONES + "/" + other.id()).bearer(writer).send().status())
                .isEqualTo(200);
        Response replaced = api.put(ZONES + "/" + other.id())
                .bearer(writer)
                .header("If-Match", "\"1\"")
                .json(body("taken", List.of("ops"), 11))
                .send();
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(404);
        assertThat(api.delete(ZONES + "/" + other.id()).bearer(writer).send().status())
                .isEqualTo(404);
        assertThat(api.delete(ZONES + "/" + other.id())
                        .bearer(writer)
                        .header("If-Match", "\"9\"")
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(api.get(ZONES + "/" + other.id())
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("version")
                        .asLong())
                .isEqualTo(1);

        Response mine = api.put(ZONES + "/" + ops.id())
                .bearer(writer)
                .header("If-Match", "\"1\"")
                .json(body("ops", List.of("ops", "north"), 10))
                .send();
        assertThat(mine.status()).as("%s", mine).isEqualTo(200);
        assertThat(api.delete(ZONES + "/" + ops.id())
                        .bearer(writer)
                        .header("If-Match", "\"1\"")
                        .send()
                        .status())
                .isEqualTo(412);
        assertThat(api.delete(ZONES + "/" + ops.id()).bearer(writer).send().status())
                .isEqualTo(204);
    }

    @Test
    void for_random_zones_and_random_grants_the_list_is_exactly_what_the_single_check_allows() {
        Random random = new Random(20261204L);
        TenantFixture tenant = newTenant();
        List<String> tagPool = List.of("t1", "t2", "t3", "t4");
        List<Made> zones = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            List<String> tags = new ArrayList<>();
            for (String tag : tagPool) {
                if (random.nextInt(3) == 0) {
                    tags.add(tag);
                }
            }
            zones.add(zone(tenant, "r" + i, tags, -170 + 10 * i));
        }
        for (int user = 0; user < 6; user++) {
            List<Map<String, Object>> scopes = new ArrayList<>();
            Set<String> reached = new HashSet<>();
            boolean all = false;
            for (int g = 0; g < 1 + random.nextInt(2); g++) {
                if (random.nextInt(6) == 0) {
                    scopes.add(Map.of("dataWindow", "PT24H"));
                    all = true;
                } else {
                    Set<String> tags = new TreeSet<>();
                    for (int k = 0; k < 1 + random.nextInt(2); k++) {
                        tags.add(tagPool.get(random.nextInt(tagPool.size())));
                    }
                    Map<String, Object> scope = new LinkedHashMap<>();
                    scope.put("zoneTags", List.copyOf(tags));
                    scopes.add(scope);
                    reached.addAll(tags);
                }
            }
            String token = userWith(tenant, List.of(), "viewer", scopes);
            List<String> expected = carrying(zones, all ? Set.of() : reached);
            List<String> whole = pages(token, ZONES, 100, "id");
            assertThat(whole).as("user %d, %s", user, scopes).containsExactlyElementsOf(expected);
            List<String> allowed = new ArrayList<>();
            for (Made zone : zones) {
                int status =
                        api.get(ZONES + "/" + zone.id()).bearer(token).send().status();
                assertThat(status).isIn(200, 404);
                if (status == 200) {
                    allowed.add(zone.id());
                }
            }
            Collections.sort(allowed);
            assertThat(whole).as("list == filter of the single check").containsExactlyElementsOf(allowed);
            int limit = 1 + random.nextInt(4);
            assertThat(pages(token, ZONES, limit, "id"))
                    .as("pages of %d", limit)
                    .containsExactlyElementsOf(expected);
        }
    }
}
