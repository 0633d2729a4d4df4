package io.sextant.platform.http;

import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reached a controller (the servlet container's own, or a filter's) arrive at
 * {@code /error}: answer them as problem documents too, without exception details. Internal, so
 * not in the OpenAPI document.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping(
            path = "/error",
            produces = {MediaType.APPLICATION_PROBLEM_JSON_VALUE, MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE
            })
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && DatabaseUnavailable.isCause(failure)) {
            return databaseUnavailable(request);
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Asked for directly rather than forwarded an error: there is no such resource.
        HttpStatus status = code == null
                ? HttpStatus.NOT_FOUND
                : code instanceof Integer value && HttpStatus.resolve(value) != null
                        ? HttpStatus.valueOf(value)
                        : HttpStatus.INTERNAL_SERVER_ERROR;
        String detail = status.is5xxServerError()
                ? "an unexpected error occurred; report the requestId to the operator"
                : status.getReasonPhrase();
        ProblemDetail problem = Problems.detail(status, ProblemHandler.slug(status), status.getReasonPhrase(), detail);
        Object path =
                code == null ? request.getRequestURI() : request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path != null) {
            try {
                problem.setInstance(new URI(path.toString()));
            } catch (URISyntaxException e) {
                // A path the container let through but that is no URI reference: leave instance out.
            }
        }
        problem.setProperty("requestId", RequestIds.of(request));
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemResponses.toMap(problem));
    }

    /** A filter (authentication by API key, idempotency) needed the database and could not reach it. */
    private static ResponseEntity<Map<String, Object>> databaseUnavailable(HttpServletRequest request) {
        ProblemDetail problem = DatabaseUnavailable.problem();
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path != null) {
            try {
                problem.setInstance(new URI(path.toString()));
            } catch (URISyntaxException e) {
                // A path the container let through but that is no URI reference: leave instance out.
            }
        }
        problem.setProperty("requestId", RequestIds.of(request));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, DatabaseUnavailable.RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemResponses.toMap(problem));
    }
}
