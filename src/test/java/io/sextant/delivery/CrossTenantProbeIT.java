package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.events.EventTypes;
import io.sextant.testing.ApiClient.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every operation of the OpenAPI document that names a resource in its path, called by another
 * tenant's administrator with the identifiers of tenant A's real resources — asset, zone, event,
 * subscription and its delivery, job, user, service account, API key, role, grant and the tenant
 * itself: each answers exactly as for an identifier that does not exist (a 4xx, a 404 for every
 * read), and A's resources are all still there, unchanged, afterwards.
 */
class CrossTenantProbeIT extends DeliveryIT {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    /**
     * Path segments whose identifiers are not tenant-owned: the issuer's signing keys belong to the
     * platform (`/api/v1/signing-keys/{kid}` needs a platform permission no tenant administrator
     * holds).
     */
    private static final List<String> PLATFORM_OWNED = List.of("signing-keys");

    /**
     * Path segments whose identifiers are names every tenant shares, each with the value the probe
     * uses: an OGC API collection is the same for all tenants (each sees its own features in it), so
     * a path with only such parameters names nothing of A's; the features in it are probed with A's
     * zone ids.
     */
    private static final Map<String, String> SHARED_NAMES = Map.of("collections", "zones");

    @Test
    void another_tenants_administrator_reaches_none_of_a_tenants_resources_through_any_operation() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        Map<String, String> ids = resourcesOf(a);

        JsonNode document =
                api.get("/v3/api-docs").bearer(b.adminToken()).send().json();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> probed = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.get("paths").properties().iterator();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().contains("{")
                    || PLATFORM_OWNED.stream().anyMatch(s -> path.getKey().contains("/" + s + "/"))
                    || onlySharedNames(path.getKey())) {
                continue;
            }
            String foreign = substitute(path.getKey(), ids, unmapped);
            String missing = substitute(path.getKey(), Map.of(), new ArrayList<>());
            for (Iterator<Map.Entry<String, JsonNode>> operations =
                            path.getValue().properties().iterator();
                    operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "PUT", "POST", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                String query = requiredQuery(operation.getValue(), now);
                String what = method + " " + path.getKey();
                Response onForeign = call(method, foreign + query, b.adminToken());
                Response onMissing = call(method, missing + query, b.adminToken());
                probed.add(what);
                assertThat(onForeign.status())
                        .as("%s with tenant A's identifiers: %s", what, onForeign)
                        .isBetween(400, 499);
                assertThat(onForeign.status())
                        .as("%s: A's identifiers %s, missing ones %s", what, onForeign, onMissing)
                        .isEqualTo(onMissing.status());
                if (method.equals("GET")) {
                    assertThat(onForeign.status()).as(what).isIn(403, 404);
                }
            }
        }

        assertThat(unmapped)
                .as("path parameters the probe has no identifier of tenant A for")
                .isEmpty();
        assertThat(probed)
                .as("the operations probed")
                .contains(
                        "GET /api/v1/assets/{id}",
                        "DELETE /api/v1/assets/{id}",
                        "GET /api/v1/zones/{id}",
                        "GET /api/v1/events/{id}",
                        "GET /api/v1/subscriptions/{id}/deliveries/{deliveryId}",
                        "POST /api/v1/subscriptions/{id}/deliveries/{deliveryId}/replay",
                        "GET /api/v1/jobs/{id}",
                        "POST /api/v1/jobs/{id}/retry",
                        "GET /api/v1/grants/{id}",
                        "GET /api/v1/roles/{name}",
                        "GET /api/v1/tenants/{tenantId}/users/{userId}",
                        "GET /api/v1/workflows/definitions/{key}/versions/{version}",
                        "GET /api/v1/workflows/instances/{id}/history",
                        "POST /api/v1/workflows/instances/{id}/commands/{name}",
                        "GET /api/v1/ogc/collections/{collectionId}/items/{featureId}");
        // Nothing of A's changed: each is still there for A's administrator.
        for (String read : List.of(
                "/api/v1/assets/" + ids.get("assets"),
                "/api/v1/zones/" + ids.get("zones"),
                "/api/v1/events/" + ids.get("events"),
                "/api/v1/subscriptions/" + ids.get("subscriptions"),
                "/api/v1/subscriptions/" + ids.get("subscriptions") + "/deliveries/" + ids.get("deliveries"),
                "/api/v1/jobs/" + ids.get("jobs"),
                "/api/v1/service-accounts/" + ids.get("service-accounts"),
                "/api/v1/grants/" + ids.get("grants"),
                "/api/v1/roles/" + ids.get("roles"),
                "/api/v1/workflows/definitions/" + ids.get("definitions"),
                "/api/v1/workflows/instances/" + ids.get("instances"),
                "/api/v1/tenants/" + a.id() + "/users/" + ids.get("users"))) {
            Response own = api.get(read).bearer(a.adminToken()).send();
            assertThat(own.status()).as("A reads %s afterwards: %s", read, own).isEqualTo(200);
        }
        assertThat(api.get("/api/v1/api-keys").bearer(a.adminToken()).send().body())
                .contains(ids.get("api-keys"));
        assertThat(api.get("/api/v1/workflows/instances/" + ids.get("instances"))
                        .bearer(a.adminToken())
                        .send()
                        .json()
                        .get("state")
                        .asString())
                .as("B's commands did not move A's instance")
                .isEqualTo("open");
    }

    /** One of each resource in tenant A, by the path segment that names its identifier. */
    private Map<String, String> resourcesOf(TenantFixture a) {
        Map<String, String> ids = new LinkedHashMap<>();
        String token = a.adminToken();
        String asset = createAsset(token, "probed", "truck", List.of("fleet"))
                .get("id")
                .asString();
        ids.put("assets", asset);
        ids.put(
                "zones",
                created(api.post("/api/v1/zones")
                        .bearer(token)
                        .json(Map.of(
                                "name",
                                "depot",
                                "geometry",
                                Map.of(
                                        "type",
                                        "Polygon",
                                        "coordinates",
                                        List.of(List.of(
                                                List.of(2.0, 48.0),
                                                List.of(2.1, 48.0),
                                                List.of(2.1, 48.1),
                                                List.of(2.0, 48.1),
                                                List.of(2.0, 48.0))))))
                        .send()));
        // A webhook to a closed port: its delivery fails and is retried as a job of A's.
        String subscription =
                webhook(token, "http://127.0.0.1:9/hooks", Map.of()).get("id").asString();
        ids.put("subscriptions", subscription);
        ids.put(
                "events",
                append(a.id(), EventTypes.ASSET_STALE, UUID.fromString(asset), Instant.now())
                        .toString());
        ids.put(
                "deliveries",
                deliveries(token, subscription, d -> !d.isEmpty())
                        .getFirst()
                        .get("id")
                        .asString());
        ids.put("jobs", await(token, "/api/v1/jobs?limit=100"));
        Response export = api.post("/api/v1/exports")
                .bearer(token)
                .json(Map.of(
                        "format",
                        "csv",
                        "assetId",
                        asset,
                        "from",
                        Instant.now().minusSeconds(3600).toString(),
                        "to",
                        Instant.now().toString()))
                .send();
        assertThat(export.status()).as("%s", export).isEqualTo(202);
        ids.put("exports", export.json().get("id").asString());
        ids.put(
                "users",
                created(api.post("/api/v1/tenants/" + a.id() + "/users")
                        .bearer(token)
                        .json(Map.of(
                                "username",
                                "someone@" + a.slug(),
                                "password",
                                "password-1-" + a.slug(),
                                "roles",
                                List.of()))
                        .send()));
        ids.put(
                "service-accounts",
                created(api.post("/api/v1/service-accounts")
                        .bearer(token)
                        .json(Map.of("name", "integration", "roles", List.of("viewer")))
                        .send()));
        ids.put(
                "api-keys",
                created(api.post("/api/v1/api-keys")
                        .bearer(token)
                        .json(Map.of("name", "tracker", "permissions", List.of("assets:read")))
                        .send()));
        Response role = api.post("/api/v1/roles")
                .bearer(token)
                .json(Map.of("name", "probe-role-" + a.slug(), "permissions", List.of("assets:read")))
                .send();
        assertThat(role.status()).as("%s", role).isEqualTo(201);
        ids.put("roles", "probe-role-" + a.slug());
        ids.put(
                "grants",
                created(api.post("/api/v1/grants")
                        .bearer(token)
                        .json(Map.of("subject", "user:" + ids.get("users"), "role", "probe-role-" + a.slug()))
                        .send()));
        ids.put("tenants", a.id());
        Response definition = api.post("/api/v1/workflows/definitions")
                .bearer(token)
                .body("application/yaml", """
                        key: probed
                        initial: open
                        states:
                          open:
                            on:
                              - command: close
                                target: closed
                          closed:
                            type: final
                        """)
                .send();
        assertThat(definition.status()).as("%s", definition).isEqualTo(201);
        ids.put("definitions", "probed");
        ids.put("versions", "1");
        ids.put(
                "instances",
                created(api.post("/api/v1/workflows/instances")
                        .bearer(token)
                        .json(Map.of("definition", "probed", "assets", Map.of("item", asset)))
                        .send()));
        ids.put("commands", "close");
        ids.put("items", ids.get("zones"));
        return ids;
    }

    private static String created(Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        // The id of what was made, wherever the response holds it (some wrap it with a one-time secret).
        JsonNode id = response.json().findValue("id");
        assertThat(id).as("an id in %s", response).isNotNull();
        return id.asString();
    }

    /** The first item's id of a list, once it has one. */
    private String await(String token, String path) {
        return org.awaitility.Awaitility.await()
                .atMost(PATIENCE)
                .until(() -> api.get(path).bearer(token).send().json().get("items"), items -> !items.isEmpty())
                .get(0)
                .get("id")
                .asString();
    }

    /**
     * The path with each parameter replaced by A's identifier of the resource the segment before it
     * names, or by a fresh one when {@code ids} is empty (a resource that does not exist).
     */
    private static String substitute(String path, Map<String, String> ids, List<String> unmapped) {
        Matcher matcher = PARAMETER.matcher(path);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String before = path.substring(0, matcher.start());
            String[] segments = before.split("/");
            String resource = segments[segments.length - 1];
            String id;
            if (SHARED_NAMES.containsKey(resource)) {
                id = SHARED_NAMES.get(resource);
            } else if (ids.isEmpty()) {
                id = switch (resource) {
                    case "roles" -> "no-such-role";
                    case "versions" -> "1";
                    default -> UUID.randomUUID().toString();
                };
            } else if (ids.containsKey(resource)) {
                id = ids.get(resource);
            } else {
                unmapped.add(path + " (" + matcher.group(1) + ")");
                id = UUID.randomUUID().toString();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(id));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Whether every parameter of the path follows a segment of {@link #SHARED_NAMES}. */
    private static boolean onlySharedNames(String path) {
        Matcher matcher = PARAMETER.matcher(path);
        while (matcher.find()) {
            String[] segments = path.substring(0, matcher.start()).split("/");
            if (!SHARED_NAMES.containsKey(segments[segments.length - 1])) {
                return false;
            }
        }
        return true;
    }

    /** The operation's required query parameters, with values it accepts. */
    private static String requiredQuery(JsonNode operation, Instant now) {
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : operation.path("parameters")) {
            if (!parameter.path("in").asString("").equals("query")
                    || !parameter.path("required").asBoolean(false)) {
                continue;
            }
            String name = parameter.get("name").asString();
            String value = switch (name) {
                case "from" -> now.minus(1, ChronoUnit.HOURS).toString();
                case "to" -> now.plus(1, ChronoUnit.MINUTES).toString();
                case "at", "asOf" -> now.toString();
                default -> "1";
            };
            query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(value);
        }
        return query.toString();
    }

    private Response call(String method, String path, String token) {
        var call = api.method(method, path).bearer(token).header("If-Match", "\"1\"");
        return method.equals("GET") || method.equals("DELETE")
                ? call.send()
                : call.json(Map.of("name", "x", "externalId", "x", "type", "truck", "permissions", List.of()))
                        .send();
    }
}
