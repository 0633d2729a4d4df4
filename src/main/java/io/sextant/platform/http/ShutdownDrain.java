package io.sextant.platform.http;

import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.apache.catalina.Container;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardWrapper;
import org.apache.catalina.startup.Tomcat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The web server's graceful shutdown. Once the context starts closing, readiness reports
 * OUT_OF_SERVICE (Spring Boot); then, in this step:
 *
 * <ol>
 *   <li>for {@code SEXTANT_HTTP_SHUTDOWN_DRAIN} the listener stays open, for load balancers that
 *       have not yet seen readiness go down: requests in flight run on, every new request is
 *       answered 503 {@code shutting-down} with {@code Retry-After} and {@code Connection: close};
 *   <li>the listener closes: new connections are refused;
 *   <li>the step waits for the requests in flight. A request arriving meanwhile on a kept-alive
 *       connection is still read and answered 503 as above, and the connection closed.
 * </ol>
 *
 * <p>Spring Boot's own graceful shutdown (off: {@code server.shutdown=immediate}) pauses the
 * connector instead, and a paused Tomcat closes a kept-alive connection the moment a request
 * arrives on it, unread: the client sees a reset.
 */
final class ShutdownDrain extends OncePerRequestFilter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    /** Seconds a client should wait before retrying: another node, or this one after a restart. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final Duration drain;
    private final @Nullable ApplicationContext context;
    private volatile boolean running;
    private volatile boolean draining;

    ShutdownDrain(Duration drain, @Nullable ApplicationContext context) {
        this.drain = drain;
        this.context = context;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // Probes and metrics keep answering: readiness itself says OUT_OF_SERVICE.
        return !draining || request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        response.setHeader(HttpHeaders.CONNECTION, "close");
        ProblemResponses.write(
                request,
                response,
                Problems.detail(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "shutting-down",
                        "Shutting down",
                        "this node is shutting down; retry after the Retry-After delay"));
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        draining = true;
        log.info("Shutting down: new requests are answered 503 for {}, then the listener closes", drain);
        try {
            Thread.sleep(drain);
            Tomcat tomcat = tomcat();
            if (tomcat != null) {
                closeListeners(tomcat);
                while (busy(tomcat)) {
                    Thread.sleep(50);
                }
                log.info("Shutting down: no request in flight any more");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
        }
    }

    /** The lifecycle processor waits for {@code callback} up to {@code SEXTANT_SHUTDOWN_TIMEOUT}. */
    @Override
    public void stop(Runnable callback) {
        draining = true;
        Thread.ofVirtual().name("shutdown-drain").start(() -> {
            stop();
            callback.run();
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Like the web server's own lifecycle: a paused context (a cached test context) keeps serving. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Where the web server's own graceful shutdown would run, above the phase that stops it. */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
    }

    private @Nullable Tomcat tomcat() {
        return context instanceof WebServerApplicationContext web
                        && web.getWebServer() instanceof TomcatWebServer server
                ? server.getTomcat()
                : null;
    }

    /**
     * Stops accepting connections without pausing the connectors: requests on open connections are
     * still read and answered (and, the socket being unbound, never kept alive).
     */
    private static void closeListeners(Tomcat tomcat) {
        for (Service service : tomcat.getServer().findServices()) {
            for (Connector connector : service.findConnectors()) {
                connector.getProtocolHandler().closeServerSocketGraceful();
            }
        }
        log.info("Shutting down: listener closed, waiting for the requests in flight");
    }

    /** Whether a request is still running: the test Spring Boot's graceful shutdown makes. */
    private static boolean busy(Tomcat tomcat) {
        for (Container host : tomcat.getEngine().findChildren()) {
            for (Container context : host.findChildren()) {
                if (context instanceof StandardContext standard && standard.getInProgressAsyncCount() > 0) {
                    return true;
                }
                for (Container wrapper : context.findChildren()) {
                    if (wrapper instanceof StandardWrapper servlet && servlet.getCountAllocated() > 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
