package io.sextant.asset;

import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.TenantContext;
import io.sextant.shared.access.LatestLocations;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The assets API narrowed by the caller's grants (issue 10): a user limited by tags, clearance,
 * region or named assets reads exactly the assets its grants reach, in pages of every size that
 * concatenate to that set, and gets 404 for every other asset, for reads and changes alike.
 */
class AssetVisibilityIT extends SextantIT {

    private static final double[] INSIDE_A = {10.5, 50.5};
    private static final double[] INSIDE_B = {10.2, 50.2};
    private static final double[] INSIDE_C = {10.8, 50.8};
    private static final double[] OUTSIDE_A = {12.5, 50.5};
    private static final double[] OUTSIDE_B = {0.5, 0.5};

    @Autowired
    LatestLocations latestLocations;

    private final AtomicInteger users = new AtomicInteger();
    private Instant clock = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

    /** An asset as the test made it, with where it was last seen (null for nowhere). */
    record Made(
            String id,
            String externalId,
            String type,
            List<String> tags,
            String classification,
            double @Nullable [] at) {}

    /** A grant's scope as the test writes it, and decides it. */
    record Spec(boolean north, @Nullable String clearance, List<String> assetTags, List<String> assets) {

        Map<String, Object> json(String northZone) {
            Map<String, Object> scope = new LinkedHashMap<>();
            if (north) {
                scope.put("region", Map.of("zones", List.of(northZone)));
            }
            if (clearance != null) {
                scope.put("clearance", clearance);
            }
            if (!assetTags.isEmpty()) {
                scope.put("assetTags", assetTags);
            }
            if (!assets.isEmpty()) {
                scope.put("assets", assets);
            }
            return scope;
        }

        boolean reaches(Made asset) {
            if (clearance != null && rank(asset.classification()) > rank(clearance)) {
                return false;
            }
            if (!assetTags.isEmpty() && Collections.disjoint(assetTags, asset.tags())) {
                return false;
            }
            if (!assets.isEmpty() && !assets.contains(asset.id())) {
                return false;
            }
            if (north && !assets.contains(asset.id())) {
                return asset.at() != null && inNorth(asset.at()[0], asset.at()[1]);
            }
            return true;
        }
    }

    private static final List<String> CLASSES = List.of("public", "internal", "confidential", "restricted");

    private static int rank(String classification) {
        return CLASSES.indexOf(classification);
    }

    private static boolean inNorth(double lon, double lat) {
        return lon >= 10 && lon <= 11 && lat >= 50 && lat <= 51;
    }

    private String northZone(TenantFixture tenant) {
        Response response = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "north", "tags", List.of("region"), "geometry", square(10, 50, 1)))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private Made asset(TenantFixture tenant, String externalId, String type, List<String> tags, String classification) {
        Response created = api.post("/api/v1/assets")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "externalId",
                        externalId,
                        "name",
                        externalId,
                        "type",
                        type,
                        "tags",
                        tags,
                        "classification",
                        classification))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return new Made(created.json().get("id").asString(), externalId, type, tags, classification, null);
    }

    /** Reports the asset at {@code at} (a later time than any before) and waits until it is its latest. */
    private Made move(TenantFixture tenant, Made asset, double[] at) {
        moveAll(tenant, List.of(asset), List.of(at));
        return new Made(asset.id(), asset.externalId(), asset.type(), asset.tags(), asset.classification(), at);
    }

    private void moveAll(TenantFixture tenant, List<Made> assets, List<double[]> places) {
        clock = clock.plusSeconds(1);
        List<Map<String, Object>> batch = new ArrayList<>();
        Map<String, Double> expectedLon = new HashMap<>();
        for (int i = 0; i < assets.size(); i++) {
            double[] at = places.get(i);
            batch.add(Map.of(
                    "externalId", assets.get(i).externalId(), "time", clock.toString(), "lon", at[0], "lat", at[1]));
            expectedLon.put(assets.get(i).id(), at[0]);
        }
        Response response = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(batch)
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).as("%s", response).isEqualTo(assets.size());
        UUID tenantId = UUID.fromString(tenant.id());
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (var expected : expectedLon.entrySet()) {
                double[] latest = TenantContext.callAs(
                        tenantId, () -> latestLocations.locate(UUID.fromString(expected.getKey())));
                assertThat(latest).as("latest of %s", expected.getKey()).isNotNull();
                assertThat(latest[0]).isEqualTo(expected.getValue());
            }
        });
    }

    /** A user with no roles of its own and one grant of {@code role} per spec; its token. */
    private String userWith(TenantFixture tenant, String role, String northZone, Spec... specs) {
        String name = "u" + users.incrementAndGet() + "-" + tenant.slug();
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String userId = created.json().get("id").asString();
        for (Spec spec : specs) {
            Response granted = api.post("/api/v1/grants")
                    .bearer(tenant.adminToken())
                    .json(Map.of("subject", "user:" + userId, "role", role, "scope", spec.json(northZone)))
                    .send();
            assertThat(granted.status()).as("%s", granted).isEqualTo(201);
        }
        return api.signIn(name, "password-of-" + name);
    }

    /** Every asset the token lists, page by page with {@code limit} a page, in order. */
    private List<String> listed(String token, int limit, String filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response response = api.get(
                            "/api/v1/assets?limit=" + limit + filter + (cursor == null ? "" : "&cursor=" + cursor))
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
            page.get("items").forEach(item -> ids.add(item.get("id").asString()));
            assertThat(++pages).as("pages end").isLessThan(1000);
        } while (cursor != null);
        return ids;
    }

    /** The ids {@code specs} reach among {@code assets}, in the list's (id) order. */
    private static List<String> expected(List<Made> assets, Spec... specs) {
        TreeSet<String> ids = new TreeSet<>();
        for (Made asset : assets) {
            for (Spec spec : specs) {
                if (spec.reaches(asset)) {
                    ids.add(asset.id());
                }
            }
        }
        return List.copyOf(ids);
    }

    /**
     * The token sees exactly {@code expected}: in the list with every page size from 1 to the
     * number of assets, and one by one (200 for each reached, 404 for every other).
     */
    private void seesExactly(String token, List<Made> assets, List<String> expected) {
        for (int limit = 1; limit <= assets.size() + 1; limit++) {
            assertThat(listed(token, limit, "")).as("pages of %d", limit).containsExactlyElementsOf(expected);
        }
        for (Made asset : assets) {
            Response read =
                    api.get("/api/v1/assets/" + asset.id()).bearer(token).send();
            if (expected.contains(asset.id())) {
                assertThat(read.status()).as("%s reached: %s", asset, read).isEqualTo(200);
            } else {
                assertThat(read.status()).as("%s out of reach: %s", asset, read).isEqualTo(404);
                assertThat(read.isProblem()).isTrue();
            }
        }
    }

    @Test
    void a_user_limited_by_tags_clearance_region_or_named_assets_sees_exactly_the_assets_reached() {
        TenantFixture tenant = newTenant();
        String north = northZone(tenant);
        List<Made> assets = new ArrayList<>();
        assets.add(asset(tenant, "a1", "truck", List.of("fleet-a"), "public"));
        assets.add(asset(tenant, "a2", "truck", List.of("fleet-a", "night"), "internal"));
        assets.add(asset(tenant, "a3", "drone", List.of("fleet-b"), "confidential"));
        assets.add(asset(tenant, "a4", "drone", List.of("fleet-b"), "restricted"));
        assets.add(asset(tenant, "a5", "truck", List.of(), "internal"));
        assets.add(asset(tenant, "a6", "van", List.of("fleet-a"), "restricted"));
        assets.add(asset(tenant, "a7", "van", List.of("fleet-c"), "public"));
        assets.add(asset(tenant, "a8", "truck", List.of("fleet-b", "fleet-a"), "confidential"));
        Map<Integer, double[]> places =
                Map.of(0, INSIDE_A, 1, OUTSIDE_A, 2, INSIDE_B, 4, INSIDE_C, 5, INSIDE_A, 6, OUTSIDE_B);
        List<Made> placed = new ArrayList<>();
        List<double[]> at = new ArrayList<>();
        for (var place : places.entrySet()) {
            placed.add(assets.get(place.getKey()));
            at.add(place.getValue());
        }
        moveAll(tenant, placed, at);
        for (var place : places.entrySet()) {
            Made a = assets.get(place.getKey());
            assets.set(
                    place.getKey(),
                    new Made(a.id(), a.externalId(), a.type(), a.tags(), a.classification(), place.getValue()));
        }
        String a7 = assets.get(6).id();

        Spec[][] cases = {
            {new Spec(false, null, List.of("fleet-a"), List.of())},
            {new Spec(false, "internal", List.of(), List.of())},
            {new Spec(true, null, List.of(), List.of())},
            {new Spec(false, null, List.of("fleet-b"), List.of()), new Spec(true, "public", List.of(), List.of())},
            {new Spec(true, null, List.of(), List.of(a7))},
            {new Spec(true, "confidential", List.of("fleet-a", "fleet-b"), List.of())},
        };
        List<List<String>> expectedByCase = List.of(
                ids(assets, 0, 1, 5, 7),
                ids(assets, 0, 1, 4, 6),
                ids(assets, 0, 2, 4, 5),
                ids(assets, 0, 2, 3, 7),
                ids(assets, 6),
                ids(assets, 0, 2));
        for (int i = 0; i < cases.length; i++) {
            List<String> expected = expected(assets, cases[i]);
            assertThat(expected).as("case %d, by the test's model", i).isEqualTo(expectedByCase.get(i));
            String token = userWith(tenant, "viewer", north, cases[i]);
            seesExactly(token, assets, expected);
        }

        // The list's own filters narrow within what is reached.
        String fleetA = userWith(tenant, "viewer", north, cases[0]);
        assertThat(listed(fleetA, 1, "&type=truck")).containsExactlyElementsOf(ids(assets, 0, 1, 7));
        assertThat(listed(fleetA, 2, "&tag=fleet-b")).containsExactlyElementsOf(ids(assets, 7));

        // Under a region, an asset's visibility follows where it was last seen.
        String region = userWith(tenant, "viewer", north, cases[2]);
        assets.set(0, move(tenant, assets.get(0), OUTSIDE_A));
        assets.set(1, move(tenant, assets.get(1), INSIDE_B));
        assets.set(3, move(tenant, assets.get(3), INSIDE_C));
        seesExactly(region, assets, ids(assets, 1, 2, 3, 4, 5));

        // A caller with all data keeps seeing everything.
        seesExactly(tenant.adminToken(), assets, ids(assets, 0, 1, 2, 3, 4, 5, 6, 7));
    }

    @Test
    void a_writer_changes_and_deletes_only_the_assets_it_reaches_and_creates_any() {
        TenantFixture tenant = newTenant();
        String north = northZone(tenant);
        Made mine = asset(tenant, "mine", "truck", List.of("fleet-a"), "internal");
        Made other = asset(tenant, "other", "truck", List.of("fleet-b"), "internal");
        Made secret = asset(tenant, "secret", "truck", List.of("fleet-a"), "restricted");
        // Reads reach every fleet; writes only fleet-a up to confidential.
        String name = "w-" + tenant.slug();
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of("viewer")))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        Response granted = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "subject",
                        "user:" + created.json().get("id").asString(),
                        "role",
                        "operator",
                        "scope",
                        new Spec(false, "confidential", List.of("fleet-a"), List.of()).json(north)))
                .send();
        assertThat(granted.status()).as("%s", granted).isEqualTo(201);
        String writer = api.signIn(name, "password-of-" + name);

        for (Made out : List.of(other, secret)) {
            assertThat(api.get("/api/v1/assets/" + out.id())
                            .bearer(writer)
                            .send()
                            .status())
                    .isEqualTo(200);
            Response replaced = api.put("/api/v1/assets/" + out.id())
                    .bearer(writer)
                    .header("If-Match", "\"1\"")
                    .json(Map.of("externalId", out.externalId(), "name", "taken", "type", "truck"))
                    .send();
            assertThat(replaced.status()).as("%s", replaced).isEqualTo(404);
            assertThat(api.delete("/api/v1/assets/" + out.id())
                            .bearer(writer)
                            .send()
                            .status())
                    .isEqualTo(404);
            // Nor does a stale version tell it apart from a missing asset.
            assertThat(api.delete("/api/v1/assets/" + out.id())
                            .bearer(writer)
                            .header("If-Match", "\"9\"")
                            .send()
                            .status())
                    .isEqualTo(404);
            assertThat(api.get("/api/v1/assets/" + out.id())
                            .bearer(tenant.adminToken())
                            .send()
                            .json()
                            .get("name")
                            .asString())
                    .isEqualTo(out.externalId());
        }

        Response stale = api.put("/api/v1/assets/" + mine.id())
                .bearer(writer)
                .header("If-Match", "\"7\"")
                .json(Map.of("externalId", "mine", "name", "renamed", "type", "truck", "tags", List.of("fleet-a")))
                .send();
        assertThat(stale.status()).as("%s", stale).isEqualTo(412);
        Response replaced = api.put("/api/v1/assets/" + mine.id())
                .bearer(writer)
                .header("If-Match", "\"1\"")
                .json(Map.of("externalId", "mine", "name", "renamed", "type", "truck", "tags", List.of("fleet-a")))
                .send();
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(api.delete("/api/v1/assets/" + mine.id())
                        .bearer(writer)
                        .header("If-Match", "\"1\"")
                        .send()
                        .status())
                .isEqualTo(412);
        assertThat(api.delete("/api/v1/assets/" + mine.id())
                        .bearer(writer)
                        .send()
                        .status())
                .isEqualTo(204);

        // Creation is not narrowed.
        Response made = api.post("/api/v1/assets")
                .bearer(writer)
                .json(Map.of("externalId", "new", "name", "new", "type", "truck", "tags", List.of("fleet-z")))
                .send();
        assertThat(made.status()).as("%s", made).isEqualTo(201);
    }

    @Test
    void for_random_assets_and_random_grants_the_list_is_exactly_what_the_single_check_allows() {
        Random random = new Random(20261203L);
        TenantFixture tenant = newTenant();
        String north = northZone(tenant);
        List<String> tagPool = List.of("t1", "t2", "t3");
        List<String> typePool = List.of("truck", "drone", "van");
        List<Made> assets = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            List<String> tags = new ArrayList<>();
            for (String tag : tagPool) {
                if (random.nextInt(3) == 0) {
                    tags.add(tag);
                }
            }
            assets.add(asset(
                    tenant,
                    "r" + i,
                    typePool.get(random.nextInt(typePool.size())),
                    tags,
                    CLASSES.get(random.nextInt(CLASSES.size()))));
        }
        List<Made> placed = new ArrayList<>();
        List<double[]> places = new ArrayList<>();
        for (int i = 0; i < assets.size(); i++) {
            int where = random.nextInt(3);
            if (where < 2) {
                double[] at = where == 0
                        ? new double[] {10 + random.nextDouble(), 50 + random.nextDouble()}
                        : new double[] {12 + random.nextDouble(), 50 + random.nextDouble()};
                Made a = assets.get(i);
                placed.add(a);
                places.add(at);
                assets.set(i, new Made(a.id(), a.externalId(), a.type(), a.tags(), a.classification(), at));
            }
        }
        moveAll(tenant, placed, places);

        for (int user = 0; user < 8; user++) {
            Spec[] specs = new Spec[1 + random.nextInt(2)];
            for (int g = 0; g < specs.length; g++) {
                Set<String> tags = new HashSet<>();
                if (random.nextInt(5) < 2) {
                    tags.add(tagPool.get(random.nextInt(tagPool.size())));
                    if (random.nextBoolean()) {
                        tags.add(tagPool.get(random.nextInt(tagPool.size())));
                    }
                }
                List<String> named = new ArrayList<>();
                if (random.nextInt(6) == 0) {
                    for (int k = 0; k < 1 + random.nextInt(3); k++) {
                        named.add(assets.get(random.nextInt(assets.size())).id());
                    }
                }
                specs[g] = new Spec(
                        random.nextInt(5) < 2,
                        random.nextInt(5) < 2 ? CLASSES.get(random.nextInt(CLASSES.size())) : null,
                        List.copyOf(new TreeSet<>(tags)),
                        List.copyOf(new TreeSet<>(named)));
            }
            String token = userWith(tenant, "viewer", north, specs);
            List<String> expected = expected(assets, specs);
            List<String> whole = listed(token, 100, "");
            assertThat(whole).as("user %d, %s", user, List.of(specs)).containsExactlyElementsOf(expected);
            List<String> allowed = new ArrayList<>();
            for (Made asset : assets) {
                int status = api.get("/api/v1/assets/" + asset.id())
                        .bearer(token)
                        .send()
                        .status();
                assertThat(status).isIn(200, 404);
                if (status == 200) {
                    allowed.add(asset.id());
                }
            }
            Collections.sort(allowed);
            assertThat(whole).as("list == filter of the single check").containsExactlyElementsOf(allowed);
            int limit = 1 + random.nextInt(5);
            assertThat(listed(token, limit, "")).as("pages of %d", limit).containsExactlyElementsOf(expected);
        }
    }

    private static List<String> ids(List<Made> assets, int... indexes) {
        TreeSet<String> ids = new TreeSet<>();
        for (int index : indexes) {
            ids.add(assets.get(index).id());
        }
        return List.copyOf(ids);
    }
}
