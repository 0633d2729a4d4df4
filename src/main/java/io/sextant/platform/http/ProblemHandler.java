package io.sextant.platform.http;

import io.sextant.shared.TimeBounds;
import io.sextant.shared.problem.DomainException;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.web.PayloadTooLargeException;
import io.sextant.shared.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestCookieException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.UnsatisfiedServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The one place that turns exceptions raised while handling a request into RFC 9457 problem
 * documents. Every problem gets a Sextant type URI, the request path as {@code instance} and the
 * {@code requestId}; unexpected errors are logged with that id and answered without any detail.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        ex.getBindingResult()
                .getFieldErrors()
                .forEach(e -> errors.add(new FieldError(e.getField(), String.valueOf(e.getDefaultMessage()))));
        ex.getBindingResult()
                .getGlobalErrors()
                .forEach(e -> errors.add(new FieldError(e.getObjectName(), String.valueOf(e.getDefaultMessage()))));
        return handleExceptionInternal(
                ex, Problems.validationProblem(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        ex.getParameterValidationResults()
                .forEach(result -> result.getResolvableErrors()
                        .forEach(e -> errors.add(new FieldError(
                                String.valueOf(result.getMethodParameter().getParameterName()),
                                String.valueOf(e.getDefaultMessage())))));
        return handleExceptionInternal(
                ex, Problems.validationProblem(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return invalid(ex, ex.getParameterName(), "is required", headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingPathVariable(
            MissingPathVariableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (!ex.isMissingAfterConversion()) {
            return unexpected(ex, request); // a mapping that names a variable its path lacks: a bug
        }
        return invalid(ex, ex.getVariableName(), "is required", headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingServletRequestPart(
            MissingServletRequestPartException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(ex, ex.getRequestPartName(), "is required", headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleServletRequestBindingException(
            ServletRequestBindingException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return switch (ex) {
            case MissingRequestHeaderException missing ->
                invalid(ex, missing.getHeaderName(), "is required", headers, request);
            case MissingRequestCookieException missing ->
                invalid(ex, missing.getCookieName(), "is required", headers, request);
            case UnsatisfiedServletRequestParameterException unsatisfied ->
                invalid(
                        ex,
                        "query",
                        "must satisfy " + String.join(" and ", unsatisfied.getParamConditions()),
                        headers,
                        request);
            default -> malformed(ex, "the request does not carry what this operation needs", headers, request);
        };
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "value" : ex.getPropertyName();
        return invalid(ex, name, reasonFor(ex.getRequiredType(), ex.getValue()), headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException) {
                ProblemDetail problem = Problems.detail(
                        HttpStatus.CONTENT_TOO_LARGE,
                        "request-too-large",
                        "Request too large",
                        String.valueOf(cause.getMessage()));
                return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
        }
        ProblemDetail problem = ex.getCause() instanceof DatabindException databind
                        && !databind.getPath().isEmpty()
                ? Problems.validationProblem(List.of(new FieldError(fieldPath(databind), conciseReason(databind))))
                : Problems.detail(
                        HttpStatus.BAD_REQUEST,
                        "malformed-request",
                        "Malformed request",
                        "the request body is not valid JSON of the expected shape");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException ex, WebRequest request) {
        ProblemDetail problem = Problems.validationProblem(
                List.of(new FieldError(ex.getName(), reasonFor(ex.getRequiredType(), ex.getValue()))));
        return respond(ex, problem, request);
    }

    /** The connector's firewall refused the request's URL, a header or a parameter name. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Object> rejected(RequestRejectedException ex, WebRequest request) {
        return respond(ex, requestRejected(), request);
    }

    /** A form body whose parameters are not valid percent-encoded UTF-8 (the query string is checked earlier). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> undecodableParameters(InvalidParameterException ex, WebRequest request) {
        return respond(
                ex,
                Problems.detail(
                        HttpStatus.BAD_REQUEST,
                        "malformed-request",
                        "Malformed request",
                        "the request's parameters are not valid UTF-8 percent-encoding"),
                request);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Object> tooLarge(PayloadTooLargeException ex, WebRequest request) {
        return respond(
                ex,
                Problems.detail(
                        HttpStatus.CONTENT_TOO_LARGE,
                        "request-too-large",
                        "Request too large",
                        String.valueOf(ex.getMessage())),
                request);
    }

    /** An application service refused the request. */
    @ExceptionHandler(DomainException.class)
    @Nullable
    ResponseEntity<Object> refused(DomainException ex, WebRequest request) {
        return handleExceptionInternal(
                ex, DomainProblems.problem(ex), DomainProblems.headers(ex), DomainProblems.status(ex), request);
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<Object> duplicate(DuplicateKeyException ex, WebRequest request) {
        return respond(
                ex,
                Problems.detail(HttpStatus.CONFLICT, "conflict", "Conflict", "the resource already exists"),
                request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> denied(AccessDeniedException ex, WebRequest request) {
        return respond(
                ex,
                Problems.detail(
                        HttpStatus.FORBIDDEN,
                        "forbidden",
                        "Forbidden",
                        "your credentials do not grant the permission this operation needs"),
                request);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> unauthenticated(AuthenticationException ex, WebRequest request) {
        return respond(
                ex,
                Problems.detail(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", "authentication failed"),
                request);
    }

    /**
     * The database is unreachable (stopped, restarting, no connection in time): 503 with
     * Retry-After. The failure may be wrapped in anything, so {@link #unexpected} asks too.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, SQLTransientConnectionException.class})
    ResponseEntity<Object> databaseUnavailable(Exception ex, WebRequest request) {
        log.warn("Database unavailable handling {}: {}", describe(request), DatabaseUnavailable.describe(ex));
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, DatabaseUnavailable.RETRY_AFTER_SECONDS);
        ProblemDetail problem = DatabaseUnavailable.problem();
        ResponseEntity<Object> response =
                handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
        return response == null
                ? ResponseEntity.status(problem.getStatus()).headers(headers).body(problem)
                : response;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
        if (DatabaseUnavailable.isCause(ex)) {
            return databaseUnavailable(ex, request);
        }
        log.error("Unexpected error handling {}", describe(request), ex);
        ProblemDetail problem = Problems.detail(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "an unexpected error occurred; report the requestId to the operator");
        return respond(ex, problem, request);
    }

    private ResponseEntity<Object> respond(Exception ex, ProblemDetail problem, WebRequest request) {
        ResponseEntity<Object> response = handleExceptionInternal(
                ex, problem, new HttpHeaders(), HttpStatusCode.valueOf(problem.getStatus()), request);
        return response == null ? ResponseEntity.status(problem.getStatus()).body(problem) : response;
    }

    private @Nullable ResponseEntity<Object> invalid(
            Exception ex, String field, String reason, HttpHeaders headers, WebRequest request) {
        return handleExceptionInternal(
                ex,
                Problems.validationProblem(List.of(new FieldError(field, reason))),
                headers,
                HttpStatus.BAD_REQUEST,
                request);
    }

    private @Nullable ResponseEntity<Object> malformed(
            Exception ex, String detail, HttpHeaders headers, WebRequest request) {
        ProblemDetail problem =
                Problems.detail(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", detail);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** The problem for a request the firewall refuses, here and where Spring Security handles it. */
    static ProblemDetail requestRejected() {
        return Problems.detail(
                HttpStatus.BAD_REQUEST,
                "request-rejected",
                "Request rejected",
                "the request's URL, a header or a parameter name contains what the server refuses on principle,"
                        + " such as an encoded slash, backslash, percent sign or semicolon, '//', '..', or control"
                        + " characters");
    }

    /** Why a request value could not be read as the type the operation takes. */
    private static String reasonFor(@Nullable Class<?> type, @Nullable Object value) {
        String given = "'" + value + "' ";
        if (type == null) {
            return given + "has the wrong type";
        }
        if (type == Instant.class) {
            return TimeBounds.INSTANT_RULE;
        }
        if (type == Duration.class) {
            return TimeBounds.DURATION_RULE;
        }
        if (type == UUID.class) {
            return given + "is not a UUID";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return given + "is not an integer in range";
        }
        if (type == double.class || type == Double.class) {
            return given + "is not a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return given + "is not true or false";
        }
        return given + "is not a valid " + type.getSimpleName();
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            decorate(problem, statusCode, request);
            // Whatever the client accepts: a problem is answered as one, never as an empty 406.
            HttpHeaders problemHeaders = HttpHeaders.copyOf(headers);
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return super.createResponseEntity(body, problemHeaders, statusCode, request);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    /** Standard Spring problems get a Sextant type too, and every problem the request context. */
    static void decorate(ProblemDetail problem, HttpStatusCode status, WebRequest request) {
        if (problem.getType() == null || "about:blank".equals(String.valueOf(problem.getType()))) {
            problem.setType(Problems.type(slug(status)));
        }
        if (request instanceof NativeWebRequest nativeRequest
                && nativeRequest.getNativeRequest() instanceof HttpServletRequest servletRequest) {
            problem.setInstance(URI.create(servletRequest.getRequestURI()));
            problem.setProperty("requestId", RequestIds.of(servletRequest));
        }
    }

    /**
     * The documented type (docs/api.md) of a problem known only by its status: the standard Spring
     * MVC exceptions, the container's errors and the connector's refusals.
     */
    static String slug(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "malformed-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 408 -> "request-timeout";
            case 409 -> "conflict";
            case 412 -> "precondition-failed";
            case 413 -> "request-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 428 -> "precondition-required";
            case 429 -> "rate-limited";
            case 431 -> "headers-too-large";
            case 501 -> "not-implemented";
            case 503 -> "unavailable";
            case 505 -> "http-version-not-supported";
            default -> status.is4xxClientError() ? "malformed-request" : "internal";
        };
    }

    private static String fieldPath(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String conciseReason(DatabindException e) {
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException && root.getMessage() != null) {
            return root.getMessage();
        }
        // Jackson's own messages name Java types and parser tokens: say what the field takes instead.
        return e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                ? "must be " + expected(mismatch.getTargetType())
                : "has the wrong type";
    }

    private static String expected(Class<?> type) {
        if (type == Duration.class) {
            return "an ISO 8601 duration such as PT1H or P30D";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 timestamp such as 2026-01-31T12:00:00Z";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type.isEnum()) {
            return "one of its documented values";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a JSON object";
    }

    private static String describe(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
                : request.getDescription(false);
    }
}
