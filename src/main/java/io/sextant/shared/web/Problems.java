package io.sextant.shared.web;

import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 9457 problem details for every error Sextant returns. Each kind of problem has a stable type
 * URI ({@code urn:sextant:problem:<slug>}) that clients can switch on; the catalogue is in {@code
 * docs/api.md}.
 */
public final class Problems {

    public static final String TYPE_PREFIX = "urn:sextant:problem:";

    private Problems() {}

    public static URI type(String slug) {
        return URI.create(TYPE_PREFIX + slug);
    }

    public static ProblemDetail detail(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(slug));
        problem.setTitle(title);
        return problem;
    }

    public static ErrorResponseException of(HttpStatus status, String slug, String title, String detail) {
        return new ErrorResponseException(status, detail(status, slug, title, detail), null);
    }

    public static ErrorResponseException notFound(String what, Object id) {
        return of(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " " + id + " does not exist");
    }

    public static ErrorResponseException conflict(String detail) {
        return of(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
    }

    public static ErrorResponseException preconditionFailed(String detail) {
        return of(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed", detail);
    }

    public static ErrorResponseException preconditionRequired(String detail) {
        return of(HttpStatus.PRECONDITION_REQUIRED, "precondition-required", "Precondition required", detail);
    }

    public static ErrorResponseException forbidden(String detail) {
        return of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }

    public static ErrorResponseException unauthorized(String detail) {
        return of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
    }

    /** A 429 for sign-in attempts refused during a lockout after too many failures. */
    public static ErrorResponseException signInThrottled(String detail, long retryAfterSeconds) {
        ErrorResponseException refusal =
                of(HttpStatus.TOO_MANY_REQUESTS, "sign-in-throttled", "Too many failed sign-ins", detail);
        refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return refusal;
    }

    /** A 400 naming the offending field and why, in the same shape as bean-validation failures. */
    public static ErrorResponseException invalid(String field, String reason) {
        return invalid(List.of(new FieldError(field, reason)));
    }

    public static ErrorResponseException invalid(List<FieldError> errors) {
        ProblemDetail problem = validationProblem(errors);
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    public static ProblemDetail validationProblem(List<FieldError> errors) {
        ProblemDetail problem =
                detail(HttpStatus.BAD_REQUEST, "validation", "Invalid request", InvalidInput.summary(errors));
        problem.setProperty(
                "errors",
                errors.stream()
                        .map(e -> Map.of("field", e.field(), "reason", e.reason()))
                        .toList());
        return problem;
    }
}
