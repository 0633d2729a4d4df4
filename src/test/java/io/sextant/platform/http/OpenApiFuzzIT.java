package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.platform.http.OpenApiRequests.Operation;
import io.sextant.platform.http.OpenApiRequests.Request;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.RawHttp;
import io.sextant.testing.SextantIT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Property-based fuzzing of every operation in the service's own OpenAPI document: requests drawn
 * by {@link OpenApiRequests} from a seeded random source, as the administrator of a fresh tenant
 * (and sometimes with no or broken credentials), one in ten sent over a raw socket with bytes an
 * HTTP client refuses to send. The property: no answer is a 5xx, and every error is an {@code
 * application/problem+json} document whose {@code type} is one docs/api.md lists.
 *
 * <p>The seed is fixed for CI; {@code -Dsextant.fuzz.seed=<n>} replays another run and
 * {@code -Dsextant.fuzz.requests=<n>} changes the requests per operation. A failure prints the
 * seed and each offending request.
 */
class OpenApiFuzzIT extends SextantIT {

    private static final long SEED = Long.getLong("sextant.fuzz.seed", 20261203L);
    // 120: of the five kinds of 500 that seeds other than this one found on 2026-12-07, three
    // first showed after request 40 of their operation (#68, #74, #77); 120 costs CI about 30 s.
    private static final int REQUESTS_PER_OPERATION = Integer.getInteger("sextant.fuzz.requests", 120);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void every_operation_answers_generated_hostile_requests_without_a_5xx_and_with_documented_problems()
            throws Exception {
        Set<String> documented = documentedProblemTypes();
        JsonNode document = api.get("/v3/api-docs").send().json();
        List<Operation> operations = OpenApiRequests.operations(document).stream()
                // The test context's deliberately failing endpoint is not part of the service.
                .filter(operation -> !operation.path().startsWith("/api/v1/test/"))
                .toList();
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(40);

        OpenApiRequests.Fixture fixture = fixture();
        // One example per operation and kind of failure, so one run shows every distinct fault.
        Map<String, String> failures = new TreeMap<>();
        int failed = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        Map<String, Long> millis = new TreeMap<>();
        RawHttp raw = new RawHttp(port);
        for (Operation operation : operations) {
            long started = System.nanoTime();
            Random random = new Random(SEED ^ operation.key().hashCode());
            OpenApiRequests requests = new OpenApiRequests(document, fixture, random);
            for (int i = 0; i < budget(operation); i++) {
                // Every tenth request goes over a raw socket, with bytes no HTTP client would send.
                boolean rawBytes = i % 10 == 9;
                Request request = rawBytes ? requests.nextRaw(operation) : requests.next(operation);
                Answer answer = rawBytes ? sendRaw(raw, request) : send(request);
                sent++;
                statuses.merge(answer.status(), 1, Integer::sum);
                Failure failure = check(answer, documented);
                if (failure != null) {
                    failed++;
                    failures.putIfAbsent(
                            operation.key() + " -> " + failure.kind(),
                            "#" + i + " " + failure.answer() + "\n      request: " + request.describe());
                }
            }
            millis.put(operation.key(), (System.nanoTime() - started) / 1_000_000);
        }

        System.out.printf(
                "OpenApiFuzzIT: seed %d, %d operations, %d requests, answers by status %s; slowest operations (ms): %s%n",
                SEED,
                operations.size(),
                sent,
                statuses,
                millis.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(5)
                        .toList());
        assertThat(failures)
                .as(
                        "answers that were a 5xx or not a documented problem (seed %d; replay with -Dsextant.fuzz.seed=%d)",
                        SEED, SEED)
                .isEmpty();
        // The generator must reach past validation often enough for the property to mean something.
        int successes = statuses.entrySet().stream()
                .filter(e -> e.getKey() < 300)
                .mapToInt(Map.Entry::getValue)
                .sum();
        assertThat(successes)
                .as("successful answers among %d: %s", sent, statuses)
                .isGreaterThan(sent / 20);
    }

    /**
     * Requests for one operation. Sign-in checks a password hash, slow by design, and failed
     * sign-ins may count towards throttling that other tests in this context would then meet.
     */
    private static int budget(Operation operation) {
        return operation.path().startsWith("/api/v1/auth/") ? REQUESTS_PER_OPERATION / 4 : REQUESTS_PER_OPERATION;
    }

    /** How the answer breaks the property, or null when it holds. */
    private static @Nullable Failure check(Answer answer, Set<String> documented) {
        String type = "";
        if (answer.contentType().startsWith("application/problem+json")) {
            try {
                type = ApiClient.JSON.readTree(answer.body()).path("type").asString("");
            } catch (JacksonException e) {
                return new Failure("a problem document that is not JSON", answer);
            }
        }
        if (answer.status() >= 500) {
            return new Failure(answer.status() + " " + type, answer);
        }
        if (answer.status() < 400) {
            return null;
        }
        if (!answer.contentType().startsWith("application/problem+json")) {
            return new Failure(answer.status() + " as '" + answer.contentType() + "'", answer);
        }
        if (!documented.contains(type)) {
            return new Failure(answer.status() + " of undocumented type " + type, answer);
        }
        if (ApiClient.JSON.readTree(answer.body()).path("status").asInt() != answer.status()) {
            return new Failure(answer.status() + " with another status member", answer);
        }
        return null;
    }

    /** A kind of violation and the answer that showed it. */
    record Failure(String kind, Answer answer) {}

    private Answer send(Request request) throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api.baseUrl() + request.target()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        try {
            HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            try (InputStream body = response.body()) {
                // A live event stream never ends: its headers are the answer.
                String text = contentType.startsWith("text/event-stream")
                        ? ""
                        : new String(body.readNBytes(256 * 1024), StandardCharsets.UTF_8);
                return new Answer(response.statusCode(), contentType, text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + request.describe(), e);
        }
    }

    private static Answer sendRaw(RawHttp raw, Request request) {
        StringBuilder head = new StringBuilder(request.method() + " " + request.target() + " HTTP/1.1\r\n");
        request.headers()
                .forEach((name, value) ->
                        head.append(name).append(": ").append(value).append("\r\n"));
        RawHttp.Answer answer = raw.send(
                head.toString().getBytes(StandardCharsets.ISO_8859_1),
                request.body() == null ? new byte[0] : request.body());
        return new Answer(answer.status(), answer.contentType(), answer.body());
    }

    /** A fresh tenant with one resource of each kind, so generated ids sometimes name real ones. */
    private OpenApiRequests.Fixture fixture() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        String asset = createAsset(token, "fuzz-1", "vehicle", List.of("north"))
                .get("id")
                .asString();
        Response zone = api.post("/api/v1/zones")
                .bearer(token)
                .json(Map.of(
                        "name", "Fuzz yard", "circle", Map.of("center", List.of(13.40, 52.52), "radiusMeters", 300)))
                .send();
        assertThat(zone.status()).as(zone.toString()).isEqualTo(201);
        Response key = api.post("/api/v1/api-keys")
                .bearer(token)
                .json(Map.of("name", "fuzz tracker", "permissions", List.of("positions:write")))
                .send();
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        Response account = api.post("/api/v1/service-accounts")
                .bearer(token)
                .json(Map.of("name", "fuzz service", "roles", List.of("viewer")))
                .send();
        assertThat(account.status()).as(account.toString()).isEqualTo(201);
        Response subscription = api.post("/api/v1/subscriptions")
                .bearer(token)
                .json(Map.of(
                        "name", "fuzz hook", "channel", Map.of("type", "webhook", "url", "https://example.com/hook")))
                .send();
        List<String> subscriptions = subscription.status() == 201
                ? List.of(subscription.json().get("id").asString())
                : List.of();
        return new OpenApiRequests.Fixture(
                tenant.id(),
                Map.of(
                        "assets", List.of(asset),
                        "zones", List.of(zone.json().get("id").asString()),
                        "api-keys", List.of(key.json().path("key").path("id").asString()),
                        "service-accounts",
                                List.of(account.json()
                                        .path("account")
                                        .path("id")
                                        .asString()),
                        "subscriptions", subscriptions),
                token,
                key.json().get("token").asString(),
                adminToken);
    }

    /** The problem types docs/api.md documents: the first column of its problem table. */
    static Set<String> documentedProblemTypes() throws IOException {
        Pattern row = Pattern.compile("^\\| `([a-z0-9-]+)` \\| (\\d{3}) \\|");
        Set<String> types = Files.readAllLines(Path.of("docs/api.md")).stream()
                .map(row::matcher)
                .filter(Matcher::find)
                .map(m -> "urn:sextant:problem:" + m.group(1))
                .collect(Collectors.toSet());
        assertThat(types).as("problem types in docs/api.md").contains("urn:sextant:problem:validation");
        return types;
    }

    /** An answer: status, content type and the start of the body. */
    record Answer(int status, String contentType, String body) {
        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 500 ? body.substring(0, 500) + "…" : body);
        }
    }
}
