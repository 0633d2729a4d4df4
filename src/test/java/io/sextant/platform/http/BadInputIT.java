package io.sextant.platform.http;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.JsonNumbers;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.RawHttp;
import io.sextant.testing.RawHttp.Answer;
import io.sextant.testing.SextantIT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each finding of the external fuzzer (issue #8, "Bad input") replayed: every one is now a 4xx
 * problem document that names what was wrong, and changes nothing.
 */
class BadInputIT extends SextantIT {

    private static final String ASSETS = "/api/v1/assets";

    // --- multipart without a boundary ---------------------------------------------------------

    @Test
    void a_multipart_body_without_a_boundary_is_a_415_problem_and_stores_nothing() {
        TenantFixture tenant = newTenant();
        for (String[] operation : new String[][] {
            {"POST", ASSETS}, {"PUT", "/api/v1/asset-rules"}, {"POST", "/api/v1/zones"}, {"POST", "/api/v1/positions"}
        }) {
            Response response = api.method(operation[0], operation[1])
                    .bearer(tenant.adminToken())
                    .body("multipart/form-data", "{\"externalId\":\"m-1\",\"name\":\"M\",\"type\":\"vehicle\"}")
                    .send();
            JsonNode problem = assertProblem(response, 415, operation[1]);
            assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:unsupported-media-type");
        }
        assertThat(api.get(ASSETS).bearer(tenant.adminToken()).send().json().get("items"))
                .isEmpty();
    }

    @Test
    void a_content_type_that_is_a_wildcard_range_is_a_415_problem() {
        Response response = api.post(ASSETS)
                .bearer(newTenant().adminToken())
                .body("*/*", "{\"externalId\":\"w-1\",\"name\":\"W\",\"type\":\"vehicle\"}")
                .send();
        JsonNode problem = assertProblem(response, 415, ASSETS);
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:unsupported-media-type");
    }

    // --- NUL characters -----------------------------------------------------------------------

    @Test
    void a_nul_in_any_query_parameter_is_a_400_naming_the_parameter() {
        String token = newTenant().adminToken();
        for (String[] request : new String[][] {
            {"/api/v1/zones", "name=%00", "name"},
            {
                "/api/v1/positions/history",
                "bbox=2.2,48.8,2.5,48.9&from=2026-11-22T08:00:00Z&to=2026-11-22T10:00:00Z&type=%00",
                "type"
            },
            {"/api/v1/events", "assetTag=a%00b", "assetTag"},
            {ASSETS, "tag=ok&tag=%00", "tag"}
        }) {
            Response response =
                    api.get(request[0] + "?" + request[1]).bearer(token).send();
            JsonNode problem = assertProblem(response, 400, request[0]);
            assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:validation");
            assertThat(problem.at("/errors/0/field").asString()).isEqualTo(request[2]);
            assertThat(problem.at("/errors/0/reason").asString()).contains("NUL");
        }
    }

    @Test
    void a_nul_in_a_json_body_string_or_member_name_is_a_400_naming_the_member_and_stores_nothing() {
        TenantFixture tenant = newTenant();
        Map<String, String> bodies = Map.of(
                "{\"externalId\":\"n-1\",\"name\":\"a\\u0000\",\"type\":\"vehicle\"}", "name",
                "{\"externalId\":\"n-1\",\"name\":\"N\",\"type\":\"vehicle\",\"attributes\":{\"k\":[\"\\u0000\"]}}",
                        "attributes.k[0]",
                "{\"externalId\":\"n-1\",\"name\":\"N\",\"type\":\"vehicle\",\"attributes\":{\"a\\u0000\":1}}",
                        "attributes.a\u0000");
        bodies.forEach((body, field) -> {
            Response response = api.post(ASSETS)
                    .bearer(tenant.adminToken())
                    .body("application/json", body)
                    .send();
            JsonNode problem = assertProblem(response, 400, ASSETS);
            assertThat(problem.at("/errors/0/field").asString()).as(body).isEqualTo(field);
        });
        Response signIn = api.post("/api/v1/auth/token")
                .body("application/json", "{\"username\":\"a\\u0000\",\"password\":\"x\"}")
                .send();
        assertThat(assertProblem(signIn, 400, "/api/v1/auth/token")
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("username");
        assertThat(api.get(ASSETS).bearer(tenant.adminToken()).send().json().get("items"))
                .isEmpty();
    }

    @Test
    void a_position_with_a_nul_is_rejected_alone_and_the_rest_of_its_batch_is_stored() {
        TenantFixture tenant = newTenant();
        createAsset(tenant.adminToken(), "nul-truck", "vehicle", List.of());
        String time = Instant.now().minus(1, ChronoUnit.MINUTES).toString();
        String body = "[{\"externalId\":\"nul-truck\",\"time\":\"" + time
                + "\",\"lon\":13.4,\"lat\":52.5,\"attributes\":{\"note\":\"a\\u0000b\"}},"
                + "{\"externalId\":\"nul\\u0000truck\",\"time\":\"" + time + "\",\"lon\":13.4,\"lat\":52.5},"
                + "{\"externalId\":\"nul-truck\",\"time\":\"" + time + "\",\"lon\":13.41,\"lat\":52.51}]";
        Response response = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .body("application/json", body)
                .send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode receipt = response.json();
        assertThat(receipt.get("accepted").asInt()).isEqualTo(1);
        assertThat(receipt.get("rejected").asInt()).isEqualTo(2);
        assertThat(receipt.at("/items/0/reason").asString())
                .isEqualTo("attributes.note must not contain the NUL" + " character (U+0000)");
        assertThat(receipt.at("/items/1/reason").asString()).startsWith("externalId must not contain the NUL");
        assertThat(receipt.at("/items/2/status").asString()).isEqualTo("accepted");
    }

    // --- instants and durations out of range ---------------------------------------------------

    @Test
    void an_instant_beyond_rfc_3339_years_is_a_400_naming_the_parameter_or_member() {
        TenantFixture tenant = newTenant();
        String far = "%2B999999999-12-31T23:59:59Z";
        for (String[] request : new String[][] {
            {"/api/v1/positions/snapshot", "at=" + far, "at"},
            {"/api/v1/positions/snapshot", "at=-999999999-01-01T00:00:00Z", "at"},
            {"/api/v1/events", "from=" + far, "from"},
            {"/api/v1/positions/history", "bbox=2.2,48.8,2.5,48.9&from=2026-11-22T08:00:00Z&to=" + far, "to"}
        }) {
            Response response = api.get(request[0] + "?" + request[1])
                    .bearer(tenant.adminToken())
                    .send();
            JsonNode problem = assertProblem(response, 400, request[0]);
            assertThat(problem.at("/errors/0/field").asString()).as(request[1]).isEqualTo(request[2]);
            assertThat(problem.at("/errors/0/reason").asString()).contains("0000 to 9999");
        }
        Response key = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "far", "permissions", List.of(), "expiresAt", "+999999999-12-31T23:59:59Z"))
                .send();
        assertThat(assertProblem(key, 400, "/api/v1/api-keys")
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("expiresAt");
    }

    @Test
    void a_hand_made_cursor_holding_a_year_beyond_9999_is_a_400_naming_the_cursor() {
        String cursor = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("+999999999-12-31T23:59:59Z|00000000-0000-0000-0000-000000000000"
                        .getBytes(StandardCharsets.UTF_8));
        for (String path : List.of(
                "/api/v1/events?cursor=" + cursor,
                "/api/v1/positions/history?bbox=2.2,48.8,2.5,48.9&from=2026-11-22T08:00:00Z&to=2026-11-22T10:00:00Z"
                        + "&cursor=" + cursor)) {
            Response response = api.get(path).bearer(adminToken).send();
            JsonNode problem = assertProblem(response, 400, path.substring(0, path.indexOf('?')));
            assertThat(problem.at("/errors/0/field").asString()).isEqualTo("cursor");
        }
    }

    @Test
    void a_duration_longer_than_a_hundred_years_is_a_400_naming_it() {
        TenantFixture tenant = newTenant();
        Response staleness = api.get("/api/v1/positions/snapshot?at=2026-11-22T08:00:00Z&maxStaleness=P999999999D")
                .bearer(tenant.adminToken())
                .send();
        assertThat(assertProblem(staleness, 400, "/api/v1/positions/snapshot")
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("maxStaleness");
        String settings = "/api/v1/tenants/" + tenant.id() + "/settings";
        Response retention = api.put(settings)
                .bearer(tenant.adminToken())
                .json(Map.of("positionRetention", "PT9223372036854775807S", "autoRegisterAssets", false))
                .send();
        assertThat(assertProblem(retention, 400, settings).at("/errors/0/field").asString())
                .isEqualTo("positionRetention");
        Response rules = api.put("/api/v1/asset-rules")
                .bearer(tenant.adminToken())
                .json(Map.of("staleAfter", "P999999999D"))
                .send();
        assertThat(assertProblem(rules, 400, "/api/v1/asset-rules")
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("staleAfter");
    }

    // --- nulls inside bodies -------------------------------------------------------------------

    @Test
    void a_null_inside_a_list_of_a_body_is_a_400_naming_its_index_and_changes_nothing() {
        TenantFixture tenant = newTenant();
        Response proximity = api.put("/api/v1/asset-rules")
                .bearer(tenant.adminToken())
                .body("application/json", "{\"proximity\":[null]}")
                .send();
        JsonNode problem = assertProblem(proximity, 400, "/api/v1/asset-rules");
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:validation");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("proximity[0]");

        Response types = api.put("/api/v1/asset-rules")
                .bearer(tenant.adminToken())
                .body("application/json", "{\"proximity\":[{\"distanceMeters\":50,\"first\":{\"types\":[null]}}]}")
                .send();
        assertThat(assertProblem(types, 400, "/api/v1/asset-rules")
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("proximity[0].first.types[0]");
        Response tags = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .body(
                        "application/json",
                        "{\"externalId\":\"t-1\",\"name\":\"T\",\"type\":\"vehicle\",\"tags\":[null]}")
                .send();
        assertThat(assertProblem(tags, 400, ASSETS).at("/errors/0/field").asString())
                .isEqualTo("tags[0]");

        JsonNode rules = api.get("/api/v1/asset-rules")
                .bearer(tenant.adminToken())
                .send()
                .json();
        assertThat(rules.path("proximity")).isEmpty();
    }

    @Test
    void a_null_attribute_value_is_still_free_json() {
        Response response = api.post(ASSETS)
                .bearer(newTenant().adminToken())
                .body(
                        "application/json",
                        "{\"externalId\":\"a-1\",\"name\":\"A\",\"type\":\"vehicle\",\"attributes\":{\"x\":null,\"y\":[1,null]}}")
                .send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    // --- standard Spring MVC errors are documented problems -----------------------------------

    @Test
    void a_missing_required_query_parameter_is_a_validation_problem_naming_it() {
        Response response =
                api.get("/api/v1/positions/snapshot").bearer(adminToken).send();
        JsonNode problem = assertProblem(response, 400, "/api/v1/positions/snapshot");
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:validation");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("at");
        assertThat(problem.at("/errors/0/reason").asString()).isEqualTo("is required");
    }

    @Test
    void a_blank_path_variable_is_a_validation_problem_naming_it() {
        Response response = api.get(ASSETS + "/%20").bearer(adminToken).send();
        JsonNode problem = assertProblem(response, 400, ASSETS + "/%20");
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:validation");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("id");
    }

    @Test
    void a_parameter_of_the_wrong_type_is_a_validation_problem_saying_what_it_must_be() {
        Response response = api.get(ASSETS + "?limit=lots").bearer(adminToken).send();
        JsonNode problem = assertProblem(response, 400, ASSETS);
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("limit");
        assertThat(problem.at("/errors/0/reason").asString()).isEqualTo("'lots' is not an integer in range");
    }

    @Test
    void an_error_is_a_problem_document_whatever_the_client_accepts() {
        // "garbage" is what the fuzzer sent: the 404 went out with no body and no Content-Type.
        for (String accept :
                List.of("garbage", "text/event-stream", "text/html", "application/xml", "application/json;q=0")) {
            Response response = api.get(ASSETS + "/" + java.util.UUID.randomUUID())
                    .bearer(adminToken)
                    .header("Accept", accept)
                    .send();
            assertThat(response.status()).as(accept).isIn(404, 406);
            assertThat(response.header("Content-Type")).as(accept).startsWith("application/problem+json");
            assertThat(response.body()).as(accept).contains("urn:sextant:problem:");
        }
    }

    @Test
    void asking_for_the_error_page_itself_is_a_404_problem() {
        Response response = api.get("/error").bearer(adminToken).send();
        JsonNode problem = assertProblem(response, 404, "/error");
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:not-found");
    }

    // --- members of the wrong JSON type, and forged cursors (OpenApiFuzzIT, seed 777123) -------

    @Test
    void a_search_member_of_the_wrong_json_type_is_a_400_naming_it() {
        String token = newTenant().adminToken();
        String polygon = "{\"type\":\"Polygon\",\"coordinates\":"
                + "[[[13.4,52.5],[13.41,52.5],[13.41,52.51],[13.4,52.51],[13.4,52.5]]]}";
        String window = ",\"from\":\"2026-12-07T02:00:00Z\",\"to\":\"2026-12-07T03:00:00Z\"";
        for (String[] request : new String[][] {
            {"/api/v1/positions/history/search", "\"cursor\":[null]", "cursor"},
            {"/api/v1/positions/history/search", "\"tags\":[{}]", "tags[0]"},
            {"/api/v1/positions/history/search", "\"type\":{\"a\":1}", "type"},
            {"/api/v1/positions/history/search", "\"groupBy\":\"day\"", "groupBy"},
            {"/api/v1/positions/history/search", "\"limit\":\"ten\"", "limit"},
            {"/api/v1/positions/history/search", "\"limit\":1.5", "limit"},
            {"/api/v1/positions/latest/search", "\"tags\":[[1]]", "tags[0]"},
            {"/api/v1/positions/latest/search", "\"limit\":99999999999", "limit"}
        }) {
            String body = "{\"geometry\":" + polygon + window + "," + request[1] + "}";
            Response response = api.post(request[0])
                    .bearer(token)
                    .body("application/json", body)
                    .send();
            JsonNode problem = assertProblem(response, 400, request[0]);
            assertThat(problem.get("type").asString()).as(body).isEqualTo("urn:sextant:problem:validation");
            assertThat(problem.at("/errors/0/field").asString()).as(body).isEqualTo(request[2]);
        }
    }

    @Test
    void a_simulation_or_grant_member_of_the_wrong_json_type_is_a_400_naming_it_and_grants_nothing() {
        TenantFixture tenant = newTenant();
        String simulate = "/api/v1/workflows/definitions/simulate";
        for (String[] request : new String[][] {
            {"{\"definition\":\"mission\",\"start\":{\"at\":[1]}}", "/start/at"},
            {"{\"definition\":\"mission\",\"inputs\":[{\"advance\":{}}]}", "/inputs/0/advance"},
            {
                "{\"definition\":\"mission\",\"inputs\":[{\"command\":\"go\",\"caller\":{\"groups\":[{}]}}]}",
                "/inputs/0/caller/groups/0"
            },
            {"{\"definition\":\"mission\",\"inputs\":[{\"event\":{\"type\":\"t\",\"id\":[]}}]}", "/inputs/0/event/id"},
            {"{\"definition\":\"mission\",\"inputs\":[{\"log\":{},\"note\":1}]}", "/inputs/0"}
        }) {
            Response response = api.post(simulate)
                    .bearer(tenant.adminToken())
                    .body("application/json", request[0])
                    .send();
            JsonNode problem = assertProblem(response, 400, simulate);
            assertThat(problem.at("/errors/0/field").asString()).as(request[0]).isEqualTo(request[1]);
        }
        String user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", "typed", "password", "password-of-typed", "roles", List.of()))
                .send()
                .json()
                .get("id")
                .asString();
        for (Map<String, Object> scope : List.of(
                Map.<String, Object>of("dataWindow", List.of("PT1H")), Map.<String, Object>of("clearance", Map.of()))) {
            Response response = api.post("/api/v1/grants")
                    .bearer(tenant.adminToken())
                    .json(Map.of("subject", "user:" + user, "role", "viewer", "scope", scope))
                    .send();
            JsonNode problem = assertProblem(response, 400, "/api/v1/grants");
            assertThat(problem.at("/errors/0/field").asString())
                    .as("%s", scope)
                    .isEqualTo("scope." + scope.keySet().iterator().next());
        }
        assertThat(api.get("/api/v1/grants")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("items"))
                .as("grants after refused requests")
                .noneMatch(grant -> grant.path("subject").asString("").equals("user:" + user));
    }

    @Test
    void a_number_beyond_the_range_of_a_double_or_an_int_is_a_400_and_stores_nothing() {
        // An integer of 309 to 1,000 digits: Jackson reads it, and its own conversion to a double
        // throws, where a decimal such as 1e400 becomes an infinity that the checks refuse.
        String huge = "1" + "0".repeat(400);
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        String square = "[[[13.4,52.5],[" + huge + ",52.5],[13.41,52.51],[13.4,52.51],[13.4,52.5]]]";
        for (String[] request : new String[][] {
            {
                "/api/v1/zones",
                "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + square + "}}",
                "geometry.coordinates[0][1][0]"
            },
            {
                "/api/v1/zones",
                "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                        + "[[[13.4,52.5],[13.41,52.5],[13.41,52.51],[13.4,52.5]]]},\"fence\":{\"marginMeters\":" + huge
                        + "}}",
                "fence.marginMeters"
            },
            {
                "/api/v1/positions/latest/search",
                "{\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + square + "}}",
                "geometry.coordinates[0][1][0]"
            },
            {
                "/api/v1/exports",
                "{\"format\":\"csv\",\"bbox\":[13.4,52.5," + huge + ",52.6],"
                        + "\"from\":\"2026-12-07T02:00:00Z\",\"to\":\"2026-12-07T03:00:00Z\"}",
                "bbox[2]"
            },
            {
                "/api/v1/subscriptions",
                "{\"name\":\"h\",\"channel\":{\"type\":\"webhook\",\"url\":\"https://example.com/hook\","
                        + "\"timeoutMs\":" + "9".repeat(30) + "}}",
                "channel.timeoutMs"
            },
            {
                "/api/v1/subscriptions",
                "{\"name\":\"r\",\"channel\":{\"type\":\"redis-stream\",\"stream\":\"s\",\"maxLen\":" + "9".repeat(30)
                        + "}}",
                "channel.maxLen"
            }
        }) {
            Response response = api.post(request[0])
                    .bearer(token)
                    .body("application/json", request[1])
                    .send();
            JsonNode problem = assertProblem(response, 400, request[0]);
            assertThat(problem.at("/errors/0/field").asString()).as(request[1]).isEqualTo(request[2]);
        }
        Response definition = api.post("/api/v1/workflows/definitions")
                .bearer(token)
                .body("application/yaml", "key: big\nversion: 5000000000\ninitial: a\nstates:\n  a:\n    type: final\n")
                .send();
        assertThat(assertProblem(definition, 400, "/api/v1/workflows/definitions")
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("/version");
        for (String list :
                List.of("/api/v1/zones", "/api/v1/subscriptions", "/api/v1/exports", "/api/v1/workflows/definitions")) {
            assertThat(api.get(list).bearer(token).send().json().get("items"))
                    .as(list)
                    .isEmpty();
        }
    }

    @Test
    void a_position_whose_coordinate_is_beyond_the_range_of_a_double_is_refused_alone_in_every_json_format() {
        String huge = "1" + "0".repeat(400);
        TenantFixture tenant = newTenant();
        createAsset(tenant.adminToken(), "huge-truck", "vehicle", List.of());
        createAsset(tenant.adminToken(), "jane/phone", "phone", List.of());
        String time = Instant.now().minus(1, ChronoUnit.MINUTES).toString();
        String later = Instant.now().minus(30, ChronoUnit.SECONDS).toString();
        String latest = Instant.now().minus(20, ChronoUnit.SECONDS).toString();
        Map<String, String> bodies = Map.of(
                "application/x-ndjson",
                "{\"externalId\":\"huge-truck\",\"time\":\"" + time + "\",\"lon\":" + huge + ",\"lat\":52.5}\n"
                        + "{\"externalId\":\"huge-truck\",\"time\":\"" + later + "\",\"lon\":13.4,\"lat\":52.5}\n",
                "application/geo+json",
                "{\"type\":\"FeatureCollection\",\"features\":["
                        + "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.4," + huge
                        + "]},\"properties\":{\"externalId\":\"huge-truck\",\"time\":\"" + time + "\"}},"
                        + "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.4,52.5]},"
                        + "\"properties\":{\"externalId\":\"huge-truck\",\"time\":\"" + latest + "\"}}]}");
        bodies.forEach((type, body) -> {
            Response response = api.post("/api/v1/positions")
                    .bearer(tenant.adminToken())
                    .body(type, body)
                    .send();
            assertThat(response.status()).as("%s: %s", type, response).isBetween(200, 299);
            assertThat(response.json().get("accepted").asInt()).as(type).isEqualTo(1);
            assertThat(response.json().get("rejected").asInt()).as(type).isEqualTo(1);
        });
        String attributeTime = Instant.now().minus(10, ChronoUnit.SECONDS).toString();
        Response attribute = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .body(
                        "application/json",
                        "[{\"externalId\":\"huge-truck\",\"time\":\"" + attributeTime
                                + "\",\"lon\":13.4,\"lat\":52.5,\"attributes\":{\"odometer\":[1," + huge + "]}}]")
                .send();
        assertThat(attribute.json().get("rejected").asInt()).as("%s", attribute).isEqualTo(1);
        assertThat(attribute.json().at("/items/0/reason").asString())
                .isEqualTo("attributes.odometer[1] " + JsonNumbers.REASON);
        String key = phoneKey(tenant);
        Response ownTracks = api.post("/ingest/owntracks")
                .bearer(key)
                .header("X-Limit-U", "jane")
                .header("X-Limit-D", "phone")
                .body(
                        "application/json",
                        "{\"_type\":\"location\",\"lat\":" + huge + ",\"lon\":13.4,\"tst\":"
                                + Instant.now().getEpochSecond() + "}")
                .send();
        // The protocol's answer to a message that can never be stored: dropped, and 200 all the same.
        assertThat(ownTracks.status()).as("%s", ownTracks).isEqualTo(200);
        assertThat(ownTracks.body()).isEqualTo("[]");
        assertThat(api.get("/api/v1/positions/latest")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("features"))
                .as("the only position stored: the truck's good one")
                .extracting(feature -> feature.at("/geometry/coordinates/1").asDouble())
                .containsExactly(52.5);
    }

    @Test
    void an_asset_attribute_beyond_the_range_of_a_double_is_a_400_and_stores_nothing() {
        TenantFixture tenant = newTenant();
        Response refused = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .body(
                        "application/json",
                        "{\"externalId\":\"big-1\",\"name\":\"B\",\"type\":\"vehicle\",\"attributes\":{\"load\":"
                                + "1".repeat(400) + "}}")
                .send();
        JsonNode problem = assertProblem(refused, 400, ASSETS);
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("attributes.load");
        assertThat(problem.at("/errors/0/reason").asString()).isEqualTo(JsonNumbers.REASON);
        assertThat(api.get(ASSETS).bearer(tenant.adminToken()).send().json().get("items"))
                .isEmpty();
    }

    @Test
    void a_password_longer_than_bcrypt_reads_is_a_400_and_creates_no_user() {
        TenantFixture tenant = newTenant();
        String users = "/api/v1/tenants/" + tenant.id() + "/users";
        // 73 ASCII characters, and 40 two-byte characters (80 bytes): bcrypt refuses both.
        for (String password : List.of("p".repeat(73), "é".repeat(40))) {
            Response response = api.post(users)
                    .bearer(tenant.adminToken())
                    .json(Map.of("username", "long-" + password.length(), "password", password, "roles", List.of()))
                    .send();
            JsonNode problem = assertProblem(response, 400, users);
            assertThat(problem.at("/errors/0/field").asString()).isEqualTo("password");
        }
        Response longest = api.post(users)
                .bearer(tenant.adminToken())
                .json(Map.of("username", "longest", "password", "p".repeat(72), "roles", List.of()))
                .send();
        assertThat(longest.status()).as("%s", longest).isEqualTo(201);
        assertThat(api.get(users).bearer(tenant.adminToken()).send().json().get("items"))
                .extracting(user -> user.get("username").asString())
                .doesNotContain("long-73", "long-40");
    }

    @Test
    void a_cursor_that_decodes_to_a_nul_or_to_bytes_that_are_not_utf_8_is_a_400_on_every_list() {
        String token = newTenant().adminToken();
        // base64url of "\0\0{\"x\":1}" and of the bytes C3 28 (not UTF-8).
        for (String cursor : List.of("AAB7IngiOjF9", "wyg")) {
            for (String list : List.of("/api/v1/workflows/definitions", "/api/v1/roles", ASSETS, "/api/v1/events")) {
                Response response =
                        api.get(list + "?cursor=" + cursor).bearer(token).send();
                JsonNode problem = assertProblem(response, 400, list);
                assertThat(problem.at("/errors/0/field").asString()).as(list).isEqualTo("cursor");
            }
        }
    }

    // --- what the connector and the firewall refuse --------------------------------------------

    @Test
    void a_nul_invalid_utf_8_or_an_encoded_slash_in_a_path_segment_is_a_400_problem_not_html() {
        RawHttp raw = new RawHttp(port);
        for (String path : List.of(
                "/api/v1/assets/%00",
                "/api/v1/assets/%FF%FE",
                "/api/v1/assets/a%2Fb",
                "/api/v1/assets/a%5Cb",
                "/api/v1/assets/%zz",
                "/api/v1/assets/%25",
                "/api/v1/assets/a%3Bb",
                "//api/v1/assets",
                "/api/v1/../v1/assets")) {
            Answer answer = raw.send("GET " + path + " HTTP/1.1", "Authorization: Bearer " + adminToken);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.isProblem()).as("%s: %s", path, answer).isTrue();
            assertThat(answer.json().get("type").asString())
                    .as(path)
                    .isIn("urn:sextant:problem:malformed-request", "urn:sextant:problem:request-rejected");
            assertThat(answer.json().get("requestId").asString())
                    .isEqualTo(answer.headers().get("x-request-id"));
        }
    }

    @Test
    void requests_the_connector_cannot_parse_are_problem_documents_not_html() {
        RawHttp raw = new RawHttp(port);
        List<String> failures = new ArrayList<>();
        Map<String, byte[]> requests = Map.of(
                "a raw NUL in the request line", bytes("GET /api/v1/assets/\u0000 HTTP/1.1\r\n"),
                "raw non-ASCII bytes in the path", bytes("GET /api/v1/assets/\u00ff\u00fe HTTP/1.1\r\n"),
                "a broken request line", bytes("GARBAGE\r\n"),
                "a control character in a header", bytes("GET /api/v1/assets HTTP/1.1\r\nX-A: a\u0001b\r\n"),
                "a NUL in a header", bytes("GET /api/v1/assets HTTP/1.1\r\nX-A: a\u0000b\r\n"),
                "a header name with a space", bytes("GET /api/v1/assets HTTP/1.1\r\nX A: b\r\n"),
                "headers over the size limit",
                        bytes("GET /api/v1/assets HTTP/1.1\r\nX-A: " + "a".repeat(20_000) + "\r\n"),
                "an unknown transfer coding", bytes("POST /api/v1/assets HTTP/1.1\r\nTransfer-Encoding: gzip\r\n"),
                "an unsupported HTTP version", bytes("GET /api/v1/assets HTTP/2.5\r\n"),
                "TRACE", bytes("TRACE /api/v1/assets HTTP/1.1\r\n"));
        requests.forEach((what, head) -> {
            Answer answer = raw.send(head, new byte[0]);
            if (!answer.isProblem() || answer.status() < 400) {
                failures.add(what + ": " + answer);
            }
        });
        assertThat(failures).isEmpty();
    }

    @Test
    void a_tracker_header_with_bytes_the_firewall_refuses_is_a_400_problem() {
        TenantFixture tenant = newTenant();
        String key = phoneKey(tenant);
        String message = "{\"_type\":\"location\",\"lat\":52.5,\"lon\":13.4,\"tst\":"
                + Instant.now().getEpochSecond() + "}";
        // "€" in UTF-8 is E2 82 AC; 0x82 reads as a C1 control character in ISO-8859-1.
        byte[] head = bytes("POST /ingest/owntracks HTTP/1.1\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nX-Limit-U: \u00e2\u0082\u00ac\r\nX-Limit-D: phone\r\n");
        Answer answer = new RawHttp(port).send(head, message.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.isProblem()).as(answer.toString()).isTrue();
        assertThat(answer.json().get("type").asString()).isEqualTo("urn:sextant:problem:request-rejected");
    }

    /** An API key a tracker app sends positions with. */
    private String phoneKey(TenantFixture tenant) {
        return api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "phone", "permissions", List.of("positions:write")))
                .send()
                .json()
                .get("token")
                .asString();
    }

    private static byte[] bytes(String isoLatin1) {
        return isoLatin1.getBytes(StandardCharsets.ISO_8859_1);
    }
}
