package io.sextant.platform.http;

import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report for errors the application never saw — a request line or path the
 * connector refuses (NUL, invalid UTF-8, an encoded slash), headers too large — written as a
 * problem document instead of Tomcat's HTML page. Errors inside the application go to {@code
 * /error} ({@link ProblemErrorController}) and have their body by the time this valve looks.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REQUEST_ID = "X-Request-Id";

    @Override
    protected void report(Request request, Response response, @Nullable Throwable throwable) {
        int status = response.getStatus();
        // As Tomcat's own report: only an unreported error with nothing written yet gets a body.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        ProblemDetail problem = Problems.detail(code, ProblemHandler.slug(code), title(code), detail(code));
        URI instance = instance(request);
        if (instance != null) {
            problem.setInstance(instance);
        }
        String requestId = response.getHeader(REQUEST_ID);
        if (requestId == null) {
            requestId = UUID.randomUUID().toString();
            response.setHeader(REQUEST_ID, requestId);
        }
        problem.setProperty("requestId", requestId);
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(ProblemResponses.toMap(problem)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was committed meanwhile: nothing left to tell.
        }
    }

    private static String title(HttpStatusCode code) {
        HttpStatus known = HttpStatus.resolve(code.value());
        return known == null ? "Error " + code.value() : known.getReasonPhrase();
    }

    private static String detail(HttpStatusCode code) {
        if (code.value() == 400) {
            return "the request is malformed: its request line, path or headers break HTTP or contain what the server"
                    + " refuses (such as NUL, invalid UTF-8, or an encoded slash or backslash in the path)";
        }
        return code.is5xxServerError() ? "the server could not handle the request" : title(code);
    }

    /** The path as sent, if it is a valid URI reference; a refused one often is not. */
    private static @Nullable URI instance(Request request) {
        String path = request.getRequestURI();
        try {
            return path == null || path.isEmpty() ? null : new URI(path);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
