package io.sextant.platform.http;

import io.sextant.shared.web.PayloadTooLargeException;
import io.sextant.shared.web.Problems;
import io.sextant.shared.web.Problems.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;

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
        String expected = ex.getRequiredType() == null
                ? "another type"
                : ex.getRequiredType().getSimpleName();
        ProblemDetail problem = Problems.validationProblem(
                List.of(new FieldError(ex.getName(), "'" + ex.getValue() + "' is not a valid " + expected)));
        return respond(ex, problem, request);
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

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            decorate(problem, statusCode, request);
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

    static String slug(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null
                ? "http-" + status.value()
                : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
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
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException && root.getMessage() != null) {
            return root.getMessage();
        }
        String message = e.getOriginalMessage();
        return message == null
                ? "has the wrong type"
                : message.lines().findFirst().orElse(message);
    }

    private static String describe(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
                : request.getDescription(false);
    }
}
