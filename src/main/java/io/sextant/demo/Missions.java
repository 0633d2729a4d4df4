package io.sextant.demo;

import io.sextant.demo.DemoMap.Kind;
import io.sextant.demo.DemoMap.Place;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's dispatcher, over the public workflow API as a dispatching system would call it: a van
 * leaving a depot for a site is given a mission (the shipped {@code mission} workflow, bound to
 * the van, the depot and the site) and dispatched; the mission then moves on the van's own zone
 * events, and is completed when the van leaves the site (aborted if it never got there).
 */
final class Missions {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String base;
    private final String apiKey;
    private final DemoTenant.Directory directory;
    private final JsonMapper json = JsonMapper.builder().build();
    /** The open mission of each van, by external id. */
    private final Map<String, UUID> open = new HashMap<>();

    Missions(HttpClient http, int port, String apiKey, DemoTenant.Directory directory) {
        this.http = http;
        this.base = "http://127.0.0.1:" + port + "/api/v1/workflows/instances";
        this.apiKey = apiKey;
        this.directory = directory;
    }

    /**
     * Closes the van's open mission, and starts one if it heads from a depot to a site; whether it
     * called the API at all.
     */
    boolean on(Fleet.Departure departure) throws IOException, InterruptedException, RequestRefused {
        UUID mission = open.remove(departure.externalId());
        if (mission != null
                && post(base + "/" + mission + "/commands/complete", Map.of()).statusCode() == 409) {
            // It never reached the site (a missed entry): the dispatcher gives up on it.
            send(base + "/" + mission + "/commands/abort", Map.of());
        }
        Place from = DemoMap.STOPS.get(departure.from());
        Place to = DemoMap.STOPS.get(departure.to());
        UUID vehicle = directory.vehicles().get(departure.externalId());
        UUID depot = directory.zones().get(from.name());
        UUID site = directory.zones().get(to.name());
        if (from.kind() != Kind.DEPOT || to.kind() != Kind.SITE || vehicle == null || depot == null || site == null) {
            return mission != null;
        }
        HttpResponse<String> started = send(
                base,
                Map.of(
                        "definition",
                        DemoTenant.MISSION,
                        "variables",
                        Map.of("priority", "normal"),
                        "assets",
                        Map.of("vehicle", vehicle),
                        "zones",
                        Map.of("depot", depot, "site", site)));
        UUID id = UUID.fromString(json.readTree(started.body()).get("id").asString());
        send(base + "/" + id + "/commands/dispatch", Map.of());
        open.put(departure.externalId(), id);
        return true;
    }

    /** Posts and insists on a 2xx answer. */
    private HttpResponse<String> send(String uri, Map<String, Object> body)
            throws IOException, InterruptedException, RequestRefused {
        HttpResponse<String> response = post(uri, body);
        if (response.statusCode() / 100 != 2) {
            String detail = json.readTree(response.body()).path("detail").asString("");
            throw new RequestRefused(
                    "HTTP " + response.statusCode() + " from " + URI.create(uri).getPath() + ": " + detail);
        }
        return response;
    }

    private HttpResponse<String> post(String uri, Map<String, Object> body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
