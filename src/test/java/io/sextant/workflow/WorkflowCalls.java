package io.sextant.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The calls the workflow integration tests make over HTTP, on one client. */
record WorkflowCalls(ApiClient api) {

    static final String DEFINITIONS = "/api/v1/workflows/definitions";
    static final String INSTANCES = "/api/v1/workflows/instances";

    /** The shipped mission example, as published. */
    static String mission() {
        try (InputStream in =
                WorkflowCalls.class.getClassLoader().getResourceAsStream("workflow/examples/mission.yaml")) {
            if (in == null) {
                throw new IllegalStateException("workflow/examples/mission.yaml is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response publish(String token, String yaml) {
        return api.post(DEFINITIONS)
                .bearer(token)
                .body("application/yaml", yaml)
                .send();
    }

    /** A square zone of 0.01° with its south-west corner at (west, south); its id. */
    String square(String token, String name, double west, double south) {
        double size = 0.01;
        List<List<Double>> ring = List.of(
                List.of(west, south),
                List.of(west + size, south),
                List.of(west + size, south + size),
                List.of(west, south + size),
                List.of(west, south));
        Response zone = api.post("/api/v1/zones")
                .bearer(token)
                .json(Map.of("name", name, "geometry", Map.of("type", "Polygon", "coordinates", List.of(ring))))
                .send();
        assertThat(zone.status()).as("%s", zone).isEqualTo(201);
        return zone.json().get("id").asString();
    }

    void fix(String token, String externalId, Instant time, double lon, double lat) {
        Response response = api.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(Map.of("externalId", externalId, "time", time.toString(), "lon", lon, "lat", lat)))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
    }

    /** Starts an instance as {@code body} says; its id. */
    String start(String token, Object body) {
        Response created = api.post(INSTANCES).bearer(token).json(body).send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** Starts the shipped mission for {@code vehicle} from {@code depot} to {@code site}; its id. */
    String startMission(String token, String vehicle, String depot, String site) {
        return start(
                token,
                Map.of(
                        "definition", "mission",
                        "assets", Map.of("vehicle", vehicle),
                        "zones", Map.of("depot", depot, "site", site)));
    }

    Response command(String token, String id, String name, @Nullable String ifMatch) {
        ApiClient.Call call =
                api.post(INSTANCES + "/" + id + "/commands/" + name).bearer(token);
        if (ifMatch != null) {
            call.header("If-Match", ifMatch);
        }
        return call.json(Map.of()).send();
    }

    JsonNode instance(String token, String id) {
        Response read = api.get(INSTANCES + "/" + id).bearer(token).send();
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        return read.json();
    }
}
