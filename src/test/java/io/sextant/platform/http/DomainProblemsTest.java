package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.DomainException;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.Forbidden;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.problem.PreconditionFailed;
import io.sextant.shared.problem.PreconditionRequired;
import io.sextant.shared.problem.Throttled;
import io.sextant.shared.problem.Unauthorized;
import io.sextant.shared.problem.Unavailable;
import io.sextant.shared.web.Problems;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A service's refusal reads over HTTP exactly as the HTTP problem it replaces. */
class DomainProblemsTest {

    private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

    @Test
    void each_kind_of_refusal_is_the_problem_services_threw_before() {
        assertSame(new NotFound("zone", ID), Problems.notFound("zone", ID));
        assertSame(
                new NotFound("zone " + ID + " did not exist then"),
                Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "zone " + ID + " did not exist then"));
        assertSame(new Conflict("taken"), Problems.conflict("taken"));
        assertSame(
                new Conflict("zone-limit-reached", "Zone limit reached", "full"),
                Problems.of(HttpStatus.CONFLICT, "zone-limit-reached", "Zone limit reached", "full"));
        assertSame(new PreconditionFailed("stale"), Problems.preconditionFailed("stale"));
        assertSame(new PreconditionRequired("If-Match"), Problems.preconditionRequired("If-Match"));
        assertSame(new Forbidden("not yours"), Problems.forbidden("not yours"));
        assertSame(new Unauthorized("who?"), Problems.unauthorized("who?"));
        assertSame(
                new InvalidInput("name", "must be 1-200 characters"),
                Problems.invalid("name", "must be 1-200 characters"));
        List<FieldError> two = List.of(new FieldError("a", "is wrong"), new FieldError("b", "is wrong too"));
        assertSame(new InvalidInput(two), Problems.invalid(two));
        assertSame(Throttled.signIn("wait", Duration.ofSeconds(42)), Problems.signInThrottled("wait", 42));
        assertSame(
                new Unavailable("too-many-streams", "Too many live streams", "busy", null),
                Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams", "Too many live streams", "busy"));
    }

    @Test
    void a_refusal_that_says_when_to_retry_carries_retry_after_in_seconds() {
        var unavailable = new Unavailable("ingest-saturated", "Ingest saturated", "full", Duration.ofSeconds(1));
        assertThat(DomainProblems.status(unavailable)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(DomainProblems.headers(unavailable).getFirst("Retry-After")).isEqualTo("1");
        assertThat(DomainProblems.problem(unavailable).getType()).hasToString("urn:sextant:problem:ingest-saturated");
    }

    private static void assertSame(DomainException refusal, ErrorResponseException before) {
        assertThat(DomainProblems.status(refusal)).isEqualTo(before.getStatusCode());
        assertThat(DomainProblems.problem(refusal)).isEqualTo(before.getBody());
        assertThat(DomainProblems.headers(refusal).toSingleValueMap())
                .isEqualTo(before.getHeaders().toSingleValueMap());
    }
}
