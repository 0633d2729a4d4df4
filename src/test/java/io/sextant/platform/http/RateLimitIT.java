package io.sextant.platform.http;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Per-principal rate limiting, with a bucket small enough to empty: a burst of 5, refilled at 1
 * request per second. (These properties override the base class's generous ones, and give this
 * class a context of its own.) The sign-in before each test spends one token of the anonymous
 * per-address bucket, and the administrator's bucket pays for setting up: no test here empties
 * either, whatever order the tests run in, so they cannot starve each other.
 */
@TestPropertySource(properties = {"sextant.http.rate-limit.capacity=5", "sextant.http.rate-limit.refill-per-second=1"})
class RateLimitIT extends SextantIT {

    private static final int BURST = 5;

    @Test
    void every_rate_limited_response_says_the_limit_what_remains_and_when_it_resets() {
        Response signIn = api.post("/api/v1/auth/token")
                .json(Map.of("username", ADMIN, "password", ADMIN_PASSWORD))
                .send();
        Response call = api.get("/api/v1/tenants").bearer(adminToken).send();

        for (Response response : List.of(signIn, call)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.header("RateLimit-Limit")).isEqualTo(Integer.toString(BURST));
            assertThat(Integer.parseInt(response.header("RateLimit-Remaining"))).isBetween(0, BURST - 1);
            assertThat(Integer.parseInt(response.header("RateLimit-Reset"))).isPositive();
        }
    }

    @Test
    void a_principal_past_its_burst_gets_a_429_problem_with_retry_after_while_another_principal_goes_on() {
        // Two API keys are two principals with buckets of their own, and need no sign-in.
        String greedy = newApiKey("greedy");
        String patient = newApiKey("patient");

        List<Integer> remaining = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i < 4 * BURST && refused == null; i++) {
            Response response = api.get("/api/v1/assets").bearer(greedy).send();
            if (response.status() == 429) {
                refused = response;
            } else {
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                remaining.add(Integer.parseInt(response.header("RateLimit-Remaining")));
            }
        }
        assertThat(refused)
                .as("a 429 after a burst of %d (remaining went %s)", BURST, remaining)
                .isNotNull();
        assertThat(remaining).hasSizeBetween(BURST, 2 * BURST).isSortedAccordingTo((x, y) -> y - x);
        assertThat(remaining.getFirst()).isEqualTo(BURST - 1);

        JsonNode problem = assertProblem(refused, 429, "/api/v1/assets");
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:rate-limited");
        String retryAfter = refused.header("Retry-After");
        assertThat(retryAfter).as("Retry-After in whole seconds").matches("[0-9]+");
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);
        assertThat(refused.header("RateLimit-Limit")).isEqualTo(Integer.toString(BURST));
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");

        // Buckets are per principal: another caller still has its whole burst.
        Response others = api.get("/api/v1/assets").bearer(patient).send();
        assertThat(others.status()).as(others.toString()).isEqualTo(200);
        assertThat(others.header("RateLimit-Remaining")).isEqualTo(Integer.toString(BURST - 1));
    }

    /** A new API key of the bootstrap administrator's tenant (spends one of the administrator's tokens). */
    private String newApiKey(String name) {
        Response created = api.post("/api/v1/api-keys")
                .bearer(adminToken)
                .json(Map.of("name", name, "permissions", List.of("assets:read")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asString();
    }
}
