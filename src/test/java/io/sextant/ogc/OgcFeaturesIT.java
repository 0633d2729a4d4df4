package io.sextant.ogc;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.Geodesy;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * OGC API – Features over real HTTP: the landing page, conformance and collections link to each
 * other; a collection's items page through their next links to exactly the features the test
 * computes from what it stored (zones, latest positions), with bbox and datetime; the caller's
 * permissions, grants and tenant decide what is listed and seen; bad parameters are 400 problems.
 */
class OgcFeaturesIT extends SextantIT {

    private static final String OGC = "/api/v1/ogc";
    private static final String ZONES = OGC + "/collections/zones";
    private static final String LATEST = OGC + "/collections/latest-positions";

    private TenantFixture tenant;

    @BeforeEach
    void tenant() {
        tenant = newTenant();
    }

    private Response get(String token, String pathOrUrl) {
        String path = pathOrUrl.startsWith(api.baseUrl())
                ? pathOrUrl.substring(api.baseUrl().length())
                : pathOrUrl;
        return api.get(path).bearer(token).send();
    }

    private JsonNode ok(String token, String path) {
        Response response = get(token, path);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }

    private static String href(JsonNode document, String rel) {
        for (JsonNode link : document.path("links")) {
            if (link.path("rel").asString().equals(rel)) {
                return link.path("href").asString();
            }
        }
        return null;
    }

    /** Every feature of the items at {@code path}, following next links; each page checked. */
    private List<JsonNode> allPages(String token, String path, int limit) {
        List<JsonNode> features = new ArrayList<>();
        String next = path + (path.contains("?") ? "&" : "?") + "limit=" + limit;
        int pages = 0;
        while (next != null) {
            Response response = get(token, next);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("application/geo+json");
            JsonNode page = response.json();
            assertThat(page.path("type").asString()).isEqualTo("FeatureCollection");
            assertThat(page.path("features").size()).isLessThanOrEqualTo(limit);
            assertThat(page.path("numberReturned").asInt())
                    .isEqualTo(page.path("features").size());
            assertThat(page.path("timeStamp").asString()).isNotBlank();
            page.path("features").forEach(features::add);
            next = href(page, "next");
            if (next != null) {
                assertThat(next).startsWith(api.baseUrl() + "/api/v1/ogc/");
                assertThat(page.path("features").size())
                        .as("a page followed by another is full")
                        .isEqualTo(limit);
            }
            assertThat(++pages).as("pages").isLessThan(1000);
        }
        return features;
    }

    private static List<String> ids(List<JsonNode> features) {
        return features.stream().map(f -> f.path("id").asString()).toList();
    }

    private String zone(String token, Map<String, Object> body) {
        Response created = api.post("/api/v1/zones").bearer(token).json(body).send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void the_landing_page_conformance_and_collections_link_to_each_other_with_absolute_urls() {
        JsonNode landing = ok(tenant.adminToken(), OGC);
        Set<String> rels = new HashSet<>();
        landing.path("links").forEach(link -> {
            rels.add(link.path("rel").asString());
            assertThat(link.path("href").asString()).startsWith(api.baseUrl() + "/");
        });
        assertThat(rels).contains("self", "service-desc", "service-doc", "conformance", "data");
        assertThat(api.get(href(landing, "service-desc").substring(api.baseUrl().length()))
                        .send()
                        .status())
                .isEqualTo(200);

        JsonNode conformance = ok(tenant.adminToken(), href(landing, "conformance"));
        assertThat(ApiClient.strings(conformance.path("conformsTo")))
                .contains(
                        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");

        JsonNode collections = ok(tenant.adminToken(), href(landing, "data"));
        List<String> ids = new ArrayList<>();
        for (JsonNode collection : collections.path("collections")) {
            ids.add(collection.path("id").asString());
            assertThat(collection.path("itemType").asString()).isEqualTo("feature");
            JsonNode self = ok(tenant.adminToken(), href(collection, "self"));
            assertThat(self.path("id").asString())
                    .isEqualTo(collection.path("id").asString());
            assertThat(href(collection, "items")).isEqualTo(href(self, "items"));
            assertThat(ok(tenant.adminToken(), href(collection, "items"))
                            .path("type")
                            .asString())
                    .isEqualTo("FeatureCollection");
        }
        assertThat(ids).containsExactly("latest-positions", "zones");
    }

    @Test
    void zones_page_through_next_links_each_once_with_circles_and_corridors_drawn_as_polygons() {
        List<String> made = new ArrayList<>();
        Map<String, Object> squareGeometry = square(4, 45, 0.01);
        made.add(zone(tenant.adminToken(), Map.of("name", "square", "geometry", squareGeometry)));
        for (int i = 0; i < 10; i++) {
            made.add(zone(tenant.adminToken(), Map.of("name", "z" + i, "geometry", square(4 + i * 0.1, 46, 0.05))));
        }
        String circle = zone(
                tenant.adminToken(),
                Map.of("name", "circle", "circle", Map.of("center", List.of(20, 50), "radiusMeters", 5000)));
        made.add(circle);
        String corridor = zone(
                tenant.adminToken(),
                Map.of(
                        "name",
                        "corridor",
                        "corridor",
                        Map.of(
                                "line",
                                Map.of(
                                        "type",
                                        "LineString",
                                        "coordinates",
                                        List.of(List.of(5, 45), List.of(5.1, 45.05))),
                                "widthMeters",
                                200)));
        made.add(corridor);
        TenantFixture other = newTenant();
        String foreign = zone(other.adminToken(), Map.of("name", "foreign", "geometry", square(4, 45, 0.01)));

        for (int limit : new int[] {1, 5, 13, 100}) {
            List<JsonNode> features = allPages(tenant.adminToken(), ZONES + "/items", limit);
            assertThat(ids(features)).as("limit %d", limit).containsExactlyInAnyOrderElementsOf(made);
        }
        assertThat(ids(allPages(other.adminToken(), ZONES + "/items", 10))).containsExactly(foreign);

        Map<String, JsonNode> byId = new HashMap<>();
        allPages(tenant.adminToken(), ZONES + "/items", 100)
                .forEach(f -> byId.put(f.path("id").asString(), f));
        JsonNode polygon = byId.get(made.getFirst());
        assertThat(polygon.path("geometry")).isEqualTo(ApiClient.JSON.valueToTree(squareGeometry));
        assertThat(polygon.path("properties").path("shape").asString()).isEqualTo("polygon");

        JsonNode drawnCircle = byId.get(circle);
        assertThat(drawnCircle.path("geometry").path("type").asString()).isEqualTo("Polygon");
        assertThat(drawnCircle.path("properties").path("radiusMeters").asDouble())
                .isEqualTo(5000);
        JsonNode ring = drawnCircle.path("geometry").path("coordinates").path(0);
        assertThat(ring.size()).isEqualTo(65);
        for (JsonNode position : ring) {
            assertThat(Geodesy.distanceMeters(
                            20,
                            50,
                            position.path(0).asDouble(),
                            position.path(1).asDouble()))
                    .as("every vertex of the drawn circle is on the circle")
                    .isBetween(4999.0, 5001.0);
        }
        JsonNode drawnCorridor = byId.get(corridor);
        assertThat(drawnCorridor.path("geometry").path("type").asString()).isEqualTo("Polygon");
        assertThat(drawnCorridor.path("properties").path("widthMeters").asDouble())
                .isEqualTo(200);

        JsonNode single = ok(tenant.adminToken(), ZONES + "/items/" + circle);
        assertThat(single.path("geometry")).isEqualTo(drawnCircle.path("geometry"));
        assertThat(single.path("properties")).isEqualTo(drawnCircle.path("properties"));
        assertThat(href(single, "self")).isEqualTo(api.baseUrl() + ZONES + "/items/" + circle);
        assertProblem(get(tenant.adminToken(), ZONES + "/items/" + foreign), 404, ZONES + "/items/" + foreign);
        assertProblem(get(tenant.adminToken(), ZONES + "/items/not-a-zone"), 404, ZONES + "/items/not-a-zone");
    }

    @Test
    void a_limit_over_the_zones_maximum_is_served_as_500_and_the_next_link_carries_it() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            made.add(zone(
                    tenant.adminToken(),
                    Map.of("name", "z" + i, "geometry", square(-170 + (i % 100) * 0.5, -60 + (i / 100) * 0.5, 0.1))));
        }
        JsonNode first = ok(tenant.adminToken(), ZONES + "/items?limit=600");
        assertThat(first.path("numberReturned").asInt()).isEqualTo(500);
        String next = href(first, "next");
        assertThat(next).contains("limit=500");
        JsonNode second = ok(tenant.adminToken(), next);
        assertThat(second.path("numberReturned").asInt()).isEqualTo(1);
        assertThat(href(second, "next")).isNull();
        List<String> seen = new ArrayList<>(ids(toList(first.path("features"))));
        seen.addAll(ids(toList(second.path("features"))));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(made);
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    @Test
    void a_box_selects_the_zones_whose_drawn_geometry_meets_it_not_every_zone_whose_bounding_box_does() {
        String circle = zone(
                tenant.adminToken(),
                Map.of("name", "circle", "circle", Map.of("center", List.of(20, 50), "radiusMeters", 50_000)));
        String seam = zone(tenant.adminToken(), Map.of("name", "seam", "geometry", square(179.5, -10, 0.5)));
        String far = zone(tenant.adminToken(), Map.of("name", "far", "geometry", square(-60, -10, 0.5)));

        // The box's nearest point to the center, (20.6, 50.4), is ~62 km away: outside the circle,
        // inside the circle's bounding box, which the zone list's bbox filter tests.
        String corner = "20.6,50.4,21,51";
        assertThat(Geodesy.distanceMeters(20, 50, 20.6, 50.4)).isGreaterThan(50_000);
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?bbox=" + corner, 10)))
                .isEmpty();
        assertThat(ok(tenant.adminToken(), "/api/v1/zones?bbox=" + corner)
                        .path("items")
                        .size())
                .as("the zone list's bbox test alone would have listed it")
                .isEqualTo(1);
        // (20.3, 50.2) is ~31 km from the center.
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?bbox=20.3,50.2,21,51", 10)))
                .containsExactly(circle);
        // Across the antimeridian, and with heights.
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?bbox=179.8,-10,-170,-9", 10)))
                .containsExactly(seam);
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?bbox=-61,-11,-100,-59,-9,100", 10)))
                .containsExactly(far);
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?bbox=-180,-90,180,90", 1)))
                .containsExactlyInAnyOrder(circle, seam, far);
    }

    @Test
    void datetime_selects_zones_whose_current_version_is_valid_during_it() throws InterruptedException {
        String early = zone(tenant.adminToken(), Map.of("name", "early", "geometry", square(4, 45, 0.01)));
        Thread.sleep(50);
        String between = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        Thread.sleep(50);
        String late = zone(tenant.adminToken(), Map.of("name", "late", "geometry", square(5, 45, 0.01)));

        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?datetime=" + encoded(between), 10)))
                .containsExactly(early);
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?datetime=" + encoded("../" + between), 10)))
                .containsExactly(early);
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?datetime=" + encoded(between + "/.."), 10)))
                .containsExactlyInAnyOrder(early, late);
        // A numeric offset's '+' must reach the server as itself, in the first request and in next links.
        String offset = java.time.OffsetDateTime.parse(between)
                .atZoneSameInstant(java.time.ZoneOffset.ofHours(1))
                .toOffsetDateTime()
                .toString();
        assertThat(offset).contains("+01:00");
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?datetime=" + encoded(offset + "/.."), 1)))
                .containsExactlyInAnyOrder(early, late);
        assertThat(ids(allPages(tenant.adminToken(), ZONES + "/items?datetime=2000-01-01", 10)))
                .isEmpty();
    }

    @Test
    void latest_positions_in_a_box_and_a_window_page_to_exactly_the_assets_the_test_computes() {
        Random random = new Random(42);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        List<Object> batch = new ArrayList<>();
        Map<String, double[]> newest = new HashMap<>();
        Map<String, Instant> newestTime = new HashMap<>();
        Map<String, String> assetIds = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String name = "v" + i;
            assetIds.put(
                    name,
                    createAsset(tenant.adminToken(), name, "van", List.of())
                            .path("id")
                            .asString());
            for (int fix = 0; fix < 2; fix++) {
                Instant time = now.minusSeconds(60 + random.nextInt(3600));
                double lon = 10 + random.nextDouble() * 2;
                double lat = 50 + random.nextDouble();
                batch.add(Map.of("externalId", name, "time", time.toString(), "lon", lon, "lat", lat));
                if (!newestTime.containsKey(name) || time.isAfter(newestTime.get(name))) {
                    newestTime.put(name, time);
                    newest.put(name, new double[] {lon, lat});
                }
            }
        }
        Response ingested = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(batch)
                .send();
        assertThat(ingested.json().path("accepted").asInt()).as("%s", ingested).isEqualTo(batch.size());
        TenantFixture other = newTenant();
        createAsset(other.adminToken(), "elsewhere", "van", List.of());
        api.post("/api/v1/positions")
                .bearer(other.adminToken())
                .json(List.of(Map.of("externalId", "elsewhere", "time", now.toString(), "lon", 11, "lat", 50.5)))
                .send();

        Instant from = now.minus(40, ChronoUnit.MINUTES);
        Instant to = now.minus(10, ChronoUnit.MINUTES);
        Set<String> inBox = new HashSet<>();
        Set<String> inBoxAndWindow = new HashSet<>();
        Set<String> inWindow = new HashSet<>();
        newest.forEach((name, p) -> {
            boolean box = p[0] >= 10.5 && p[0] <= 11.5 && p[1] >= 50.2 && p[1] <= 50.8;
            Instant t = newestTime.get(name);
            boolean window = !t.isBefore(from) && !t.isAfter(to);
            if (box) {
                inBox.add(assetIds.get(name));
            }
            if (window) {
                inWindow.add(assetIds.get(name));
            }
            if (box && window) {
                inBoxAndWindow.add(assetIds.get(name));
            }
        });
        assertThat(inBoxAndWindow)
                .as("the random fleet gives the filters something to do")
                .isNotEmpty();
        assertThat(inBoxAndWindow.size()).isLessThan(inBox.size());

        for (int limit : new int[] {1, 3, 7, 1000}) {
            assertThat(ids(allPages(tenant.adminToken(), LATEST + "/items", limit)))
                    .as("all, limit %d", limit)
                    .containsExactlyInAnyOrderElementsOf(assetIds.values());
            assertThat(ids(allPages(tenant.adminToken(), LATEST + "/items?bbox=10.5,50.2,11.5,50.8", limit)))
                    .as("box, limit %d", limit)
                    .containsExactlyInAnyOrderElementsOf(inBox);
            assertThat(ids(allPages(
                            tenant.adminToken(), LATEST + "/items?datetime=" + encoded(from + "/" + to), limit)))
                    .as("window, limit %d", limit)
                    .containsExactlyInAnyOrderElementsOf(inWindow);
            assertThat(ids(allPages(
                            tenant.adminToken(),
                            LATEST + "/items?bbox=10.5,50.2,11.5,50.8&datetime=" + encoded(from + "/" + to),
                            limit)))
                    .as("box and window, limit %d", limit)
                    .containsExactlyInAnyOrderElementsOf(inBoxAndWindow);
        }

        for (JsonNode feature : allPages(tenant.adminToken(), LATEST + "/items", 1000)) {
            latest.put(feature.path("id").asString(), feature);
        }
        assetIds.forEach((name, id) -> {
            JsonNode feature = latest.get(id);
            assertThat(feature.path("properties").path("time").asString())
                    .isEqualTo(newestTime.get(name).toString());
            assertThat(feature.path("geometry").path("coordinates").path(0).asDouble())
                    .isEqualTo(newest.get(name)[0]);
        });
        String one = assetIds.get("v7");
        JsonNode single = ok(tenant.adminToken(), LATEST + "/items/" + one);
        assertThat(single.path("geometry")).isEqualTo(latest.get(one).path("geometry"));
        assertThat(single.path("properties")).isEqualTo(latest.get(one).path("properties"));
        String foreign =
                ids(allPages(other.adminToken(), LATEST + "/items", 10)).getFirst();
        assertProblem(get(tenant.adminToken(), LATEST + "/items/" + foreign), 404, LATEST + "/items/" + foreign);
    }

    @Test
    void a_caller_is_listed_only_the_collections_it_may_read_and_refused_the_others() {
        Response key = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "gis", "permissions", List.of("zones:read")))
                .send();
        assertThat(key.status()).as("%s", key).isEqualTo(201);
        String zonesOnly = key.json().path("token").asString();
        JsonNode collections = ok(zonesOnly, OGC + "/collections");
        List<String> listed = new ArrayList<>();
        collections.path("collections").forEach(c -> listed.add(c.path("id").asString()));
        assertThat(listed).containsExactly("zones");
        assertThat(ok(zonesOnly, ZONES + "/items").path("type").asString()).isEqualTo("FeatureCollection");
        assertProblem(get(zonesOnly, LATEST), 403, LATEST);
        assertProblem(get(zonesOnly, LATEST + "/items"), 403, LATEST + "/items");
        assertProblem(api.get(ZONES + "/items").send(), 401, ZONES + "/items");
    }

    @Test
    void a_scoped_reader_pages_only_the_zones_and_positions_its_grants_reach() {
        String depot = zone(
                tenant.adminToken(), Map.of("name", "depot", "tags", List.of("depot"), "geometry", square(4, 45, 0.1)));
        String site = zone(
                tenant.adminToken(), Map.of("name", "site", "tags", List.of("site"), "geometry", square(5, 45, 0.1)));
        String inside = createAsset(tenant.adminToken(), "inside", "van", List.of())
                .path("id")
                .asString();
        createAsset(tenant.adminToken(), "outside", "van", List.of());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Response ingested = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(
                        Map.of("externalId", "inside", "time", now.toString(), "lon", 10.5, "lat", 50.5),
                        Map.of("externalId", "outside", "time", now.toString(), "lon", 12.5, "lat", 50.5)))
                .send();
        assertThat(ingested.json().path("accepted").asInt()).as("%s", ingested).isEqualTo(2);

        String zoneReader = scopedUser("zr", Map.of("zoneTags", List.of("depot")));
        assertThat(ids(allPages(zoneReader, ZONES + "/items", 1))).containsExactly(depot);
        assertThat(ok(zoneReader, ZONES + "/items/" + depot).path("id").asString())
                .isEqualTo(depot);
        assertProblem(get(zoneReader, ZONES + "/items/" + site), 404, ZONES + "/items/" + site);
        String regionReader = scopedUser("rr", Map.of("region", Map.of("polygon", square(10, 50, 1))));
        assertThat(ids(allPages(regionReader, LATEST + "/items", 1))).containsExactly(inside);
        assertThat(ids(allPages(regionReader, LATEST + "/items?bbox=0,0,20,60", 1)))
                .containsExactly(inside);
        String outside = ids(allPages(tenant.adminToken(), LATEST + "/items", 10)).stream()
                .filter(id -> !id.equals(inside))
                .findFirst()
                .orElseThrow();
        assertProblem(get(regionReader, LATEST + "/items/" + outside), 404, LATEST + "/items/" + outside);
    }

    private String scopedUser(String prefix, Map<String, Object> scope) {
        String name = prefix + "-" + tenant.slug();
        Response user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send();
        assertThat(user.status()).as("%s", user).isEqualTo(201);
        Response grant = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of("subject", "user:" + user.json().path("id").asString(), "role", "viewer", "scope", scope))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        return api.signIn(name, "password-of-" + name);
    }

    @Test
    void a_malformed_or_unknown_parameter_is_a_400_problem_naming_it_and_unknown_things_are_404() {
        String token = tenant.adminToken();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(ZONES + "/items?filter=name%3D1", "filter");
        bad.put(ZONES + "/items?bbox=1,2,3", "bbox");
        bad.put(ZONES + "/items?bbox=1,50,2,40", "bbox");
        bad.put(LATEST + "/items?bbox=a,b,c,d", "bbox");
        bad.put(LATEST + "/items?datetime=yesterday", "datetime");
        bad.put(LATEST + "/items?datetime=" + encoded("2026-12-07T10:00:00Z/2026-12-06T10:00:00Z"), "datetime");
        bad.put(LATEST + "/items?limit=0", "limit");
        bad.put(LATEST + "/items?limit=many", "limit");
        bad.put(LATEST + "/items?cursor=%25%25", "cursor");
        bad.put(ZONES + "/items?cursor=bm90LWEtdXVpZA", "cursor");
        bad.put(OGC + "?f=html", "f");
        bad.put(OGC + "/collections?bbox=1,2,3,4", "bbox");
        for (var entry : bad.entrySet()) {
            Response response = get(token, entry.getKey());
            String path = entry.getKey().substring(0, entry.getKey().indexOf('?'));
            JsonNode problem = assertProblem(response, 400, path);
            assertThat(problem.toString()).as(entry.getKey()).contains(entry.getValue());
        }
        assertProblem(get(token, OGC + "/collections/assets"), 404, OGC + "/collections/assets");
        assertProblem(get(token, OGC + "/collections/assets/items"), 404, OGC + "/collections/assets/items");
        assertThat(ok(token, LATEST + "/items?limit=5000").path("type").asString())
                .as("a limit over the maximum is served, not refused")
                .isEqualTo("FeatureCollection");
    }
}
