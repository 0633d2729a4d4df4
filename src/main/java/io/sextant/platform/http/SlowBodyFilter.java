package io.sextant.platform.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cuts off a request whose body trickles in: after a grace period the body must keep arriving at
 * a minimum average rate (the rule of Apache's mod_reqtimeout: by {@code grace + bytes / rate}).
 * Tomcat's upload timeout only bounds the silence between two reads, which a client sending a
 * byte now and then never reaches. A late body is answered the way Tomcat answers a read timeout:
 * 408, then the connection is closed without reading the rest.
 */
final class SlowBodyFilter extends OncePerRequestFilter {

    private final long graceNanos;
    private final long bytesPerSecond;

    SlowBodyFilter(Duration grace, long bytesPerSecond) {
        this.graceNanos = grace.toNanos();
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return bytesPerSecond <= 0 || request.getContentLengthLong() == 0;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new PacedRequest(request, response, System.nanoTime()), response);
    }

    private final class PacedRequest extends HttpServletRequestWrapper {

        private final HttpServletResponse response;
        private final long started;
        private @Nullable ServletInputStream stream;

        PacedRequest(HttpServletRequest request, HttpServletResponse response, long started) {
            super(request);
            this.response = response;
            this.started = started;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingInputStream(super.getInputStream(), this::check);
            }
            return stream;
        }

        /** Fails the read if the body is behind its deadline, as Tomcat fails a timed-out read. */
        void check(long received) throws IOException {
            long elapsed = System.nanoTime() - started;
            double allowed = graceNanos + received * 1e9 / bytesPerSecond;
            if (elapsed <= allowed) {
                return;
            }
            if (!response.isCommitted()) {
                response.sendError(HttpServletResponse.SC_REQUEST_TIMEOUT);
            }
            throw new SocketTimeoutException("the request body arrived slower than " + bytesPerSecond + " bytes/s: "
                    + received + " bytes in " + Duration.ofNanos(elapsed).toMillis() + " ms");
        }
    }
}
