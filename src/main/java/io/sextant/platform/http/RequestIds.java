package io.sextant.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/** Where a request's id is kept while the request runs. */
final class RequestIds {

    static final String HEADER = "X-Request-Id";
    static final String TRACE_HEADER = "X-Trace-Id";
    static final String ATTRIBUTE = RequestIds.class.getName();
    static final String MDC_KEY = "requestId";

    private RequestIds() {}

    static String of(HttpServletRequest request) {
        return Objects.toString(request.getAttribute(ATTRIBUTE), "");
    }
}
