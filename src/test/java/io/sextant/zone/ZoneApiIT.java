package io.sextant.zone;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ZoneApiIT extends SextantIT {

    private static final String ZONES = "/api/v1/zones";

    @Autowired
    ZoneDirectory directory;

    @Autowired
    JdbcClient jdbc;

    /**
     * Eight clients create, replace (racing on the same version) and delete one tenant's zones at
     * once: each write answers as it should, and the tenant's revision, live count and this node's
     * directory end as the database says.
     */
    @Test
    void concurrent_writes_to_one_tenants_zones_answer_cleanly_and_leave_the_directory_as_the_database()
            throws Exception {
        TenantFixture tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        List<String> initial = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            initial.add(createSquare(tenant, "initial " + i, i));
        }
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        statuses.add(api.post(ZONES)
                                .bearer(tenant.adminToken())
                                .json(Map.of(
                                        "name", "new " + client + "/" + i, "geometry", square(client, 10 + i, 0.5)))
                                .send()
                                .status());
                    }
                    // Two clients race to replace each initial zone at version 1: one wins.
                    String raced = initial.get(client / 2);
                    statuses.add(api.put(ZONES + "/" + raced)
                            .bearer(tenant.adminToken())
                            .header("If-Match", "\"1\"")
                            .json(Map.of("name", "replaced by " + client, "geometry", square(client, 30, 0.5)))
                            .send()
                            .status());
                    // Two clients race to delete each of the other four initial zones: one finds it gone.
                    statuses.add(api.delete(ZONES + "/" + initial.get(4 + client / 2))
                            .bearer(tenant.adminToken())
                            .send()
                            .status());
                    return null;
                }));
            }
            for (var client : clients) {
                client.get();
            }
        }

        // Zones 0-3 were each replaced by two clients at once, zones 4-7 each deleted by two: one of
        // each pair won, the other found the zone changed (412) or gone (404).
        Map<Integer, Long> byStatus =
                statuses.stream().collect(Collectors.groupingBy(status -> status, Collectors.counting()));
        assertThat(byStatus).isEqualTo(Map.of(201, 40L, 200, 4L, 412, 4L, 204, 4L, 404, 4L));

        Map<String, Long> live = new HashMap<>();
        String cursor = null;
        do {
            Response page = api.get(ZONES + "?limit=100" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(tenant.adminToken())
                    .send();
            page.json()
                    .get("items")
                    .forEach(item -> live.put(
                            item.get("id").asString(), item.get("version").asLong()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        assertThat(live).hasSize(8 + 40 - 4);
        for (int i = 0; i < 4; i++) {
            assertThat(live.get(initial.get(i))).as("zone %d, replaced once", i).isEqualTo(2L);
        }
        int changes = 8 + 40 + 4 + 4;
        assertThat(jdbc.sql("select revision, live_zones from zone_revision where tenant_id = :tenant")
                        .param("tenant", tenantId)
                        .query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
                        .single())
                .containsExactly((long) changes, (long) live.size());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Long> inDirectory = new HashMap<>();
            directory.indexFor(tenantId).zones().forEach(z -> inDirectory.put(z.id().toString(), z.version()));
            assertThat(inDirectory).isEqualTo(live);
        });
    }

    private String createSquare(TenantFixture tenant, String name, double west) {
        Response created = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of("name", name, "geometry", square(west, 0, 0.5)))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }

    @Test
    void a_zone_is_created_read_replaced_and_deleted() {
        TenantFixture tenant = newTenant();
        Map<String, Object> square = square(10, 50, 0.01);
        Response created = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "name", "Depot",
                        "tags", List.of("depot", "north"),
                        "attributes", Map.of("site", 7),
                        "geometry", square,
                        "schedule",
                                Map.of(
                                        "timeZone",
                                        "Europe/Berlin",
                                        "windows",
                                        List.of(Map.of("days", List.of("MON", "TUE"), "from", "08:00", "to", "18:00"))),
                        "fence", Map.of("marginMeters", 20, "minFixes", 2, "dwell", "PT10M")))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode zone = created.json();
        String id = zone.get("id").asString();
        assertThat(created.header("Location")).isEqualTo(ZONES + "/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(zone.get("geometry")).isEqualTo(ApiClient.JSON.valueToTree(square));
        assertThat(zone.has("circle")).isFalse();
        assertThat(ApiClient.strings(zone.get("tags"))).containsExactly("depot", "north");
        assertThat(zone.get("fence").get("dwell").asString()).isEqualTo("PT10M");
        assertThat(zone.get("schedule").get("timeZone").asString()).isEqualTo("Europe/Berlin");
        assertThat(zone.get("bbox").get(0).asDouble()).isEqualTo(10.0);
        assertThat(zone.get("bbox").get(3).asDouble()).isEqualTo(50.01);
        assertThat(zone.get("version").asLong()).isEqualTo(1);
        assertThat(zone.get("createdAt").asString())
                .isEqualTo(zone.get("updatedAt").asString());

        Response read = api.get(ZONES + "/" + id).bearer(tenant.adminToken()).send();
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(zone);

        Response replaced = api.put(ZONES + "/" + id)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\"")
                .json(Map.of(
                        "name", "Depot ring", "circle", Map.of("center", List.of(10.005, 50.005), "radiusMeters", 300)))
                .send();
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(replaced.header("ETag")).isEqualTo("\"2\"");
        assertThat(replaced.json().has("geometry")).isFalse();
        assertThat(replaced.json().get("circle").get("radiusMeters").asInt()).isEqualTo(300);
        assertThat(replaced.json().has("schedule")).isFalse();
        assertThat(replaced.json().get("tags").size()).isZero();
        assertThat(replaced.json().get("createdAt")).isEqualTo(zone.get("createdAt"));

        assertThat(api.delete(ZONES + "/" + id)
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(204);
        assertProblem(api.get(ZONES + "/" + id).bearer(tenant.adminToken()).send(), 404, ZONES + "/" + id);
        assertThat(api.delete(ZONES + "/" + id)
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(api.put(ZONES + "/" + id)
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"3\"")
                        .json(Map.of("name", "again", "geometry", square))
                        .send()
                        .status())
                .isEqualTo(404);
    }

    @Test
    void corridors_are_stored_and_returned_as_given() {
        TenantFixture tenant = newTenant();
        Map<String, Object> corridor = Map.of(
                "line",
                Map.of("type", "LineString", "coordinates", List.of(List.of(179.9, -16.5), List.of(-179.9, -16.4))),
                "widthMeters",
                500);
        Response created = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of("name", "Across the date line", "corridor", corridor))
                .send();

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().get("corridor")).isEqualTo(ApiClient.JSON.valueToTree(corridor));
        JsonNode bbox = created.json().get("bbox");
        assertThat(bbox.get(0).asDouble())
                .as("west of a box crossing the antimeridian")
                .isGreaterThan(179);
        assertThat(bbox.get(2).asDouble()).as("east").isLessThan(-179);
    }

    @Test
    void lists_filter_by_tag_name_prefix_and_bbox_and_page_without_gaps_or_repeats() {
        TenantFixture tenant = newTenant();
        String berlin = createZone(tenant, "Berlin depot", List.of("depot"), square(13.4, 52.5, 0.01));
        String hamburg = createZone(tenant, "Hamburg depot", List.of("depot", "port"), square(10.0, 53.5, 0.01));
        String fiji = createZone(
                tenant,
                "Fiji",
                List.of("island"),
                Map.of(
                        "type",
                        "MultiPolygon",
                        "coordinates",
                        List.of(List.of(ring(179.5, -17, 180, -16)), List.of(ring(-180, -17, -179.5, -16)))));
        String bonn = createZone(tenant, "Bonn", List.of(), square(7.1, 50.7, 0.01));
        String berlinToo = createZone(tenant, "Berlin office", List.of("office"), square(13.3, 52.5, 0.01));

        assertThat(ids(tenant, "?tag=depot")).containsExactly(berlin, hamburg);
        assertThat(ids(tenant, "?tag=depot&tag=port")).containsExactly(hamburg);
        assertThat(ids(tenant, "?name=Berlin")).containsExactly(berlin, berlinToo);
        assertThat(ids(tenant, "?bbox=13,52,14,53")).containsExactly(berlin, berlinToo);
        assertThat(ids(tenant, "?bbox=179,-20,-179,-10"))
                .as("crossing the antimeridian")
                .containsExactly(fiji);
        assertThat(ids(tenant, "?bbox=-179.8,-20,-170,-10"))
                .as("the eastern half only")
                .containsExactly(fiji);
        assertThat(ids(tenant, "?bbox=0,0,1,1")).isEmpty();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = api.get(ZONES + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(tenant.adminToken())
                    .send();
            assertThat(page.status()).isEqualTo(200);
            page.json().get("items").forEach(item -> seen.add(item.get("id").asString()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(berlin, hamburg, fiji, bonn, berlinToo);

        assertThat(api.get(ZONES + "?bbox=1,2,3")
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(400);
    }

    @Test
    void as_of_any_instant_answers_the_version_valid_then_and_versions_list_the_whole_history() {
        TenantFixture tenant = newTenant();
        JsonNode v1 = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of("name", "v1", "geometry", square(5, 5, 1)))
                .send()
                .json();
        String id = v1.get("id").asString();
        JsonNode v2 = replace(tenant, id, 1, Map.of("name", "v2", "geometry", square(5, 5, 2)));
        JsonNode v3 = replace(
                tenant, id, 2, Map.of("name", "v3", "circle", Map.of("center", List.of(5, 5), "radiusMeters", 10)));
        assertThat(api.delete(ZONES + "/" + id)
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"3\"")
                        .send()
                        .status())
                .isEqualTo(204);
        Instant created = Instant.parse(v1.get("createdAt").asString());
        Instant second = Instant.parse(v2.get("updatedAt").asString());
        Instant third = Instant.parse(v3.get("updatedAt").asString());

        assertThat(asOf(tenant, id, created.minusNanos(1000)).status()).isEqualTo(404);
        assertThat(nameAsOf(tenant, id, created)).isEqualTo("v1");
        assertThat(nameAsOf(tenant, id, second.minusNanos(1000))).isEqualTo("v1");
        assertThat(nameAsOf(tenant, id, second)).isEqualTo("v2");
        assertThat(nameAsOf(tenant, id, third.minusNanos(1000))).isEqualTo("v2");
        assertThat(nameAsOf(tenant, id, third)).isEqualTo("v3");
        assertProblem(asOf(tenant, id, Instant.now().plusSeconds(60)), 404, ZONES + "/" + id);
        assertThat(asOf(tenant, id, third)
                        .json()
                        .get("circle")
                        .get("radiusMeters")
                        .asInt())
                .isEqualTo(10);
        assertThat(asOf(tenant, id, third).header("ETag")).isEqualTo("\"3\"");

        Response firstPage = api.get(ZONES + "/" + id + "/versions?limit=3")
                .bearer(tenant.adminToken())
                .send();
        assertThat(firstPage.status()).isEqualTo(200);
        List<JsonNode> versions = new ArrayList<>();
        firstPage.json().get("items").forEach(versions::add);
        String cursor = firstPage.json().get("nextCursor").asString();
        api.get(ZONES + "/" + id + "/versions?limit=3&cursor=" + cursor)
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("items")
                .forEach(versions::add);

        assertThat(versions).extracting(v -> v.get("version").asLong()).containsExactly(4L, 3L, 2L, 1L);
        assertThat(versions.get(0).get("deleted").asBoolean()).isTrue();
        assertThat(versions.get(0).get("validTo").isNull()).isTrue();
        assertThat(versions.get(3).get("name").asString()).isEqualTo("v1");
        assertThat(versions.get(3).get("validFrom").asString())
                .isEqualTo(v1.get("createdAt").asString());
        for (int i = 1; i < versions.size(); i++) {
            assertThat(versions.get(i).get("validTo"))
                    .isEqualTo(versions.get(i - 1).get("validFrom"));
            assertThat(versions.get(i).get("deleted").asBoolean()).isFalse();
        }
    }

    @Test
    void an_update_without_if_match_is_428_and_with_a_stale_one_412_and_changes_nothing() {
        TenantFixture tenant = newTenant();
        String id = createZone(tenant, "Yard", List.of(), square(1, 1, 0.1));
        Map<String, Object> body = Map.of("name", "Renamed", "geometry", square(1, 1, 0.1));

        Response missing =
                api.put(ZONES + "/" + id).bearer(tenant.adminToken()).json(body).send();
        assertProblem(missing, 428, ZONES + "/" + id);
        Response stale = api.put(ZONES + "/" + id)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"7\"")
                .json(body)
                .send();
        assertProblem(stale, 412, ZONES + "/" + id);
        assertThat(api.delete(ZONES + "/" + id)
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"7\"")
                        .send()
                        .status())
                .isEqualTo(412);

        Response unchanged =
                api.get(ZONES + "/" + id).bearer(tenant.adminToken()).send();
        assertThat(unchanged.json().get("name").asString()).isEqualTo("Yard");
        assertThat(unchanged.header("ETag")).isEqualTo("\"1\"");
        assertThat(api.get(ZONES + "/" + id)
                        .bearer(tenant.adminToken())
                        .header("If-None-Match", "\"1\"")
                        .send()
                        .status())
                .isEqualTo(304);
    }

    @Test
    void invalid_zones_are_400_naming_the_place_of_the_fault_and_nothing_is_stored() {
        TenantFixture tenant = newTenant();
        Response bowTie = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "name",
                        "Bow tie",
                        "geometry",
                        Map.of(
                                "type",
                                "Polygon",
                                "coordinates",
                                List.of(List.of(
                                        List.of(0, 0), List.of(1, 1), List.of(1, 0), List.of(0, 1), List.of(0, 0))))))
                .send();
        JsonNode problem = assertProblem(bowTie, 400, ZONES);
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:validation");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("geometry.coordinates[0]");
        assertThat(problem.get("errors").get(0).get("reason").asString()).isEqualTo("self-intersection at [0.5, 0.5]");

        Response infinite = api.post(ZONES)
                .bearer(tenant.adminToken())
                .body("application/json", "{\"name\":\"far\",\"circle\":{\"center\":[1e999,0],\"radiusMeters\":5}}")
                .send();
        JsonNode infiniteProblem = assertProblem(infinite, 400, ZONES);
        // Refused before binding, as every number beyond a double in a body is, naming the element.
        assertThat(infiniteProblem.get("errors").get(0).get("field").asString()).isEqualTo("circle.center[0]");

        Response twoShapes = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "name", "two",
                        "geometry", square(0, 0, 1),
                        "circle", Map.of("center", List.of(0, 0), "radiusMeters", 5),
                        "fence", Map.of("minFixes", 0)))
                .send();
        assertThat(assertProblem(twoShapes, 400, ZONES).get("errors"))
                .extracting(e -> e.get("field").asString())
                .containsExactlyInAnyOrder("shape", "fence.minFixes");

        String id = createZone(tenant, "Valid", List.of(), square(1, 1, 0.1));
        Response badReplace = api.put(ZONES + "/" + id)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\"")
                .json(Map.of("name", "Bad", "circle", Map.of("center", List.of(0, 0), "radiusMeters", 0)))
                .send();
        assertProblem(badReplace, 400, ZONES + "/" + id);

        assertThat(ids(tenant, "")).containsExactly(id);
        Response current = api.get(ZONES + "/" + id).bearer(tenant.adminToken()).send();
        assertThat(current.json().get("name").asString()).isEqualTo("Valid");
        assertThat(api.get(ZONES + "/" + id + "/versions")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void another_tenants_zone_is_404_everywhere() {
        TenantFixture owner = newTenant();
        TenantFixture other = newTenant();
        String id = createZone(owner, "Private", List.of(), square(3, 3, 0.1));
        String path = ZONES + "/" + id;

        assertProblem(api.get(path).bearer(other.adminToken()).send(), 404, path);
        assertThat(api.get(path + "?asOf=" + Instant.now())
                        .bearer(other.adminToken())
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(api.get(path + "/versions").bearer(other.adminToken()).send().status())
                .isEqualTo(404);
        assertThat(api.put(path)
                        .bearer(other.adminToken())
                        .header("If-Match", "\"1\"")
                        .json(Map.of("name", "Mine", "geometry", square(3, 3, 0.1)))
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(api.delete(path).bearer(other.adminToken()).send().status()).isEqualTo(404);
        assertThat(ids(other, "")).isEmpty();
        assertThat(api.get(path).bearer(owner.adminToken()).send().status()).isEqualTo(200);
    }

    @Test
    void the_zone_directory_holds_a_created_zone_and_drops_a_deleted_one() {
        TenantFixture tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        String id = createZone(tenant, "Watched", List.of("watched"), square(20, 40, 0.01));

        ZoneIndex index = directory.indexFor(tenantId);
        assertThat(index.size()).isEqualTo(1);
        CompiledZone zone = index.get(UUID.fromString(id)).orElseThrow();
        assertThat(zone.tags()).containsExactly("watched");
        List<CompiledZone> found = new ArrayList<>();
        index.candidates(20.005, 40.005, found::add);
        assertThat(found).containsExactly(zone);
        assertThat(zone.shape().contains(20.005, 40.005)).isTrue();

        replace(tenant, id, 1, Map.of("name", "Moved", "geometry", square(21, 40, 0.01)));
        CompiledZone moved =
                directory.indexFor(tenantId).get(UUID.fromString(id)).orElseThrow();
        assertThat(moved.version()).isEqualTo(2);
        assertThat(moved.shape().contains(21.005, 40.005)).isTrue();
        assertThat(moved.shape().contains(20.005, 40.005)).isFalse();

        api.delete(ZONES + "/" + id).bearer(tenant.adminToken()).send();
        assertThat(directory.indexFor(tenantId).get(UUID.fromString(id))).isEmpty();
        assertThat(directory.indexFor(tenantId).size()).isZero();
        assertThat(directory.indexFor(UUID.randomUUID()).size()).isZero();
    }

    @Test
    void reading_zones_needs_zones_read_and_writing_needs_zones_write() {
        assertThat(api.get(ZONES).send().status()).isEqualTo(401);
        TenantFixture tenant = newTenant();
        String viewer = "viewer@" + tenant.slug();
        api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", viewer, "password", "viewer-password-1", "roles", List.of("viewer")))
                .send();
        String token = api.signIn(viewer, "viewer-password-1");

        assertThat(api.get(ZONES).bearer(token).send().status()).isEqualTo(200);
        assertProblem(
                api.post(ZONES)
                        .bearer(token)
                        .json(Map.of("name", "x", "geometry", square(0, 0, 1)))
                        .send(),
                403,
                ZONES);
    }

    private String createZone(TenantFixture tenant, String name, List<String> tags, Map<String, Object> geometry) {
        Response response = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of("name", name, "tags", tags, "geometry", geometry))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private JsonNode replace(TenantFixture tenant, String id, long version, Map<String, Object> body) {
        Response response = api.put(ZONES + "/" + id)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"" + version + "\"")
                .json(body)
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }

    private List<String> ids(TenantFixture tenant, String query) {
        Response response = api.get(ZONES + query).bearer(tenant.adminToken()).send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private Response asOf(TenantFixture tenant, String id, Instant at) {
        return api.get(ZONES + "/" + id + "?asOf=" + at)
                .bearer(tenant.adminToken())
                .send();
    }

    private String nameAsOf(TenantFixture tenant, String id, Instant at) {
        Response response = asOf(tenant, id, at);
        assertThat(response.status()).as("as of %s: %s", at, response).isEqualTo(200);
        return response.json().get("name").asString();
    }

    /** A closed square ring from (west, south), {@code size} degrees on a side, as a GeoJSON Polygon. */
    static Map<String, Object> square(double west, double south, double size) {
        return Map.of("type", "Polygon", "coordinates", List.of(ring(west, south, west + size, south + size)));
    }

    private static List<List<Double>> ring(double west, double south, double east, double north) {
        return List.of(
                List.of(west, south),
                List.of(east, south),
                List.of(east, north),
                List.of(west, north),
                List.of(west, south));
    }
}
