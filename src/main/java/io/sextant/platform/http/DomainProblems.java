package io.sextant.platform.http;

import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.DomainException;
import io.sextant.shared.problem.Forbidden;
import io.sextant.shared.problem.Gone;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.problem.PreconditionFailed;
import io.sextant.shared.problem.PreconditionRequired;
import io.sextant.shared.problem.Throttled;
import io.sextant.shared.problem.Unauthorized;
import io.sextant.shared.problem.Unavailable;
import io.sextant.shared.web.Problems;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * How a service's refusal reads over HTTP: its status, its RFC 9457 problem and its headers. The
 * problem handler answers every {@link DomainException} with exactly this.
 */
public final class DomainProblems {

    private DomainProblems() {}

    public static HttpStatus status(DomainException refusal) {
        return switch (refusal) {
            case NotFound notFound -> HttpStatus.NOT_FOUND;
            case Gone gone -> HttpStatus.GONE;
            case Conflict conflict -> HttpStatus.CONFLICT;
            case PreconditionFailed failed -> HttpStatus.PRECONDITION_FAILED;
            case PreconditionRequired required -> HttpStatus.PRECONDITION_REQUIRED;
            case Forbidden forbidden -> HttpStatus.FORBIDDEN;
            case Unauthorized unauthorized -> HttpStatus.UNAUTHORIZED;
            case InvalidInput invalid -> HttpStatus.BAD_REQUEST;
            case Throttled throttled -> HttpStatus.TOO_MANY_REQUESTS;
            case Unavailable unavailable -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    public static ProblemDetail problem(DomainException refusal) {
        if (refusal instanceof InvalidInput invalid) {
            return Problems.validationProblem(invalid.errors());
        }
        ProblemDetail problem = Problems.detail(status(refusal), refusal.slug(), refusal.title(), refusal.detail());
        refusal.extensions().forEach(problem::setProperty);
        return problem;
    }

    /** Retry-After, in whole seconds, where the refusal says when to try again. */
    public static HttpHeaders headers(DomainException refusal) {
        HttpHeaders headers = new HttpHeaders();
        @Nullable
        Duration retryAfter = switch (refusal) {
            case Throttled throttled -> throttled.retryAfter();
            case Unavailable unavailable -> unavailable.retryAfter();
            default -> null;
        };
        if (retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
        }
        return headers;
    }
}
