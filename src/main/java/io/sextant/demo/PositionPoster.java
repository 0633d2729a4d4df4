package io.sextant.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts one tick's fixes as one batch to the server's own public ingest endpoint, with the demo's
 * API key, as a device gateway would: the demo exercises the same path as real traffic. Counts the
 * fixes accepted ({@code sextant.demo.fixes.sent}) and those that were not ({@code
 * sextant.demo.fixes.failed}).
 */
final class PositionPoster {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final URI endpoint;
    private final String apiKey;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Counter sent;
    private final Counter failed;

    PositionPoster(HttpClient http, int port, String apiKey, MeterRegistry meters) {
        this.http = http;
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/api/v1/positions");
        this.apiKey = apiKey;
        this.sent = Counter.builder("sextant.demo.fixes.sent")
                .description("Demo fleet fixes the ingest API accepted")
                .register(meters);
        this.failed = Counter.builder("sextant.demo.fixes.failed")
                .description("Demo fleet fixes not accepted: the request failed, or the item was refused")
                .register(meters);
    }

    /**
     * Posts the fixes and returns how many were accepted.
     *
     * @throws RequestRefused the server answered other than 200
     * @throws IOException the request did not get an answer
     */
    int post(List<Fleet.Fix> fixes) throws IOException, InterruptedException, RequestRefused {
        if (fixes.isEmpty()) {
            return 0;
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body(fixes))))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failed.increment(fixes.size());
            throw e;
        }
        if (response.statusCode() != 200) {
            failed.increment(fixes.size());
            throw new RequestRefused("HTTP " + response.statusCode());
        }
        JsonNode answer = json.readTree(response.body());
        int accepted =
                answer.path("accepted").asInt(0) + answer.path("duplicates").asInt(0);
        sent.increment(accepted);
        failed.increment(fixes.size() - accepted);
        return accepted;
    }

    private static List<Map<String, Object>> body(List<Fleet.Fix> fixes) {
        List<Map<String, Object>> items = new ArrayList<>(fixes.size());
        for (Fleet.Fix fix : fixes) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("externalId", fix.externalId());
            item.put("time", fix.time().toString());
            item.put("lon", fix.lon());
            item.put("lat", fix.lat());
            item.put("accuracy", round(fix.accuracy()));
            item.put("speed", round(fix.speed()));
            item.put("heading", round(fix.heading()) >= 360 ? 0.0 : round(fix.heading()));
            items.add(item);
        }
        return items;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
