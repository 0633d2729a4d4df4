package io.sextant.platform.http;

import io.sextant.platform.RequestBodyLimit;
import io.sextant.shared.web.PayloadTooLargeException;
import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * 413 for bodies over the limit: at once when Content-Length says so, and while reading when a
 * chunked body grows past it (the problem handler turns the read failure into the 413 when a
 * controller reads the body, this filter when another filter does).
 */
final class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long defaultLimit;
    private final List<RequestBodyLimit> overrides;

    RequestSizeLimitFilter(long defaultLimit, List<RequestBodyLimit> overrides) {
        this.defaultLimit = defaultLimit;
        this.overrides = overrides.stream()
                .sorted(Comparator.comparingInt(
                                (RequestBodyLimit o) -> o.pathPrefix().length())
                        .reversed())
                .toList();
    }

    private long limitFor(HttpServletRequest request) {
        String path = request.getRequestURI();
        for (RequestBodyLimit override : overrides) {
            if (path.startsWith(override.pathPrefix())) {
                return override.maxBytes();
            }
        }
        return defaultLimit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request);
        if (request.getContentLengthLong() > limit) {
            ProblemResponses.write(request, response, tooLarge(limit));
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, limit), response);
        } catch (IOException | ServletException | RuntimeException e) {
            // A filter that reads the body itself (idempotency hashes it) hits the limit outside
            // Spring MVC, so the problem handler never sees it: answer the 413 here.
            if (!PayloadTooLargeException.isCause(e) || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            ProblemResponses.write(request, response, tooLarge(limit));
        }
    }

    static org.springframework.http.ProblemDetail tooLarge(long limit) {
        return Problems.detail(
                HttpStatus.CONTENT_TOO_LARGE,
                "request-too-large",
                "Request too large",
                "the request body exceeds the limit of " + limit + " bytes");
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private @Nullable ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingInputStream(super.getInputStream(), total -> {
                    if (total > limit) {
                        throw new PayloadTooLargeException(limit);
                    }
                });
            }
            return stream;
        }
    }
}
