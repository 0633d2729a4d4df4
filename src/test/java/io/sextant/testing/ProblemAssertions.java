package io.sextant.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import tools.jackson.databind.JsonNode;

/** Checks that a response is an RFC 9457 problem document in Sextant's shape. */
public final class ProblemAssertions {

    private ProblemAssertions() {}

    /**
     * Asserts {@code response} is a problem with {@code status}: problem+json, a Sextant type URI,
     * title, detail, the request path as instance and the response's request id, and returns it.
     */
    public static JsonNode assertProblem(Response response, int status, String instance) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.header("Content-Type"))
                .as("content type of %s", response)
                .startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asString()).as("type of %s", response).startsWith("urn:sextant:problem:");
        assertThat(problem.path("status").asInt())
                .as("status member of %s", response)
                .isEqualTo(status);
        assertThat(problem.path("title").asString()).as("title of %s", response).isNotBlank();
        assertThat(problem.path("detail").asString())
                .as("detail of %s", response)
                .isNotBlank();
        assertThat(problem.path("instance").asString())
                .as("instance of %s", response)
                .isEqualTo(instance);
        String requestId = response.header("X-Request-Id");
        assertThat(requestId).as("X-Request-Id of %s", response).isNotBlank();
        assertThat(problem.path("requestId").asString())
                .as("requestId of %s", response)
                .isEqualTo(requestId);
        return problem;
    }
}
