package io.sextant.platform.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.sextant.platform.RequestBodyLimit;
import io.sextant.platform.redis.PlatformRedis;
import io.sextant.secrets.SecretCipher;
import io.sextant.shared.NodeRoles;
import io.sextant.shared.web.ProblemResponses;
import java.time.Clock;
import java.util.List;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The servlet filters every request passes, in order: request id, shutdown drain, node roles, malformed input,
 * size limit, slow body, (Spring Security), rate limit, idempotency. The last two run after
 * authentication because they are per principal. Also what answers before any filter runs: the
 * container's error report, and the connection limits of the web server itself.
 */
@Configuration(proxyBeanMethods = false)
class HttpConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter(ObjectProvider<Tracer> tracer) {
        var registration = new FilterRegistrationBean<>(new RequestIdFilter(tracer));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** This node's roles ({@code SEXTANT_ROLES}); every role unless configured. */
    @Bean
    NodeRoles nodeRoles(@Value("${sextant.roles:all}") String roles) {
        NodeRoles parsed = NodeRoles.parse(roles);
        LoggerFactory.getLogger(HttpConfiguration.class).info("Node roles: {}", parsed);
        return parsed;
    }

    @Bean
    FilterRegistrationBean<NodeRoleFilter> nodeRoleFilter(NodeRoles roles) {
        var registration = new FilterRegistrationBean<>(new NodeRoleFilter(roles));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 13);
        return registration;
    }

    @Bean
    FilterRegistrationBean<MalformedInputFilter> malformedInputFilter() {
        var registration = new FilterRegistrationBean<>(new MalformedInputFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }

    /** Requests Spring Security's firewall refuses (an encoded slash, '//', ...) get a problem, not a bare 400. */
    @Bean
    RequestRejectedHandler problemRequestRejectedHandler() {
        return (request, response, rejected) ->
                ProblemResponses.write(request, response, ProblemHandler.requestRejected());
    }

    /** Tomcat's own error page (for requests it refuses before the application sees them) as a problem. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            // The host installs its error report valve as it starts, before it starts this context.
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType()) && context.getParent() instanceof Host host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemErrorReportValve());
            }
        }));
    }

    @Bean
    ShutdownDrain shutdownDrain(HttpProperties properties, ApplicationContext context) {
        return new ShutdownDrain(properties.shutdownDrain(), context);
    }

    @Bean
    FilterRegistrationBean<ShutdownDrain> shutdownDrainFilter(ShutdownDrain drain) {
        var registration = new FilterRegistrationBean<>(drain);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 12);
        return registration;
    }

    @Bean
    FilterRegistrationBean<SlowBodyFilter> slowBodyFilter(HttpProperties properties) {
        var registration = new FilterRegistrationBean<>(new SlowBodyFilter(
                properties.bodyTimeout(), properties.bodyMinRate().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 25);
        return registration;
    }

    /**
     * Slow or idle clients cannot hold connections without limit: a timeout for the request line
     * and headers, one for an idle keep-alive connection, one for silence inside a body (Tomcat
     * otherwise reuses the header timeout there) and a cap on open connections.
     */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> connectionLimits(HttpProperties properties) {
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setConnectionTimeout(
                        Math.toIntExact(properties.connectionTimeout().toMillis()));
                http.setKeepAliveTimeout(
                        Math.toIntExact(properties.keepAliveTimeout().toMillis()));
                http.setMaxConnections(properties.maxConnections());
                http.setDisableUploadTimeout(false);
                http.setConnectionUploadTimeout(
                        Math.toIntExact(properties.bodyTimeout().toMillis()));
            }
        });
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(
            HttpProperties properties, List<RequestBodyLimit> overrides) {
        var registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), overrides));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(
            HttpProperties properties, MeterRegistry meters, ObjectProvider<PlatformRedis> redis) {
        PlatformRedis shared = redis.getIfAvailable();
        RateLimitBuckets buckets = shared == null
                ? RateLimitBuckets.inProcess(properties.rateLimit())
                : RateLimitBuckets.shared(properties.rateLimit(), shared, meters);
        var registration = new FilterRegistrationBean<>(new RateLimitFilter(properties.rateLimit(), buckets, meters));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
        registration.setEnabled(properties.rateLimit().enabled());
        return registration;
    }

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            HttpProperties properties, IdempotencyRecordRepository records, SecretCipher cipher) {
        var registration = new FilterRegistrationBean<>(
                new IdempotencyFilter(records, cipher, properties.idempotencyTtl(), properties.idempotencyLease()));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 20);
        return registration;
    }

    @Bean
    IdempotencyRecordCleaner idempotencyRecordCleaner(IdempotencyRecordRepository records) {
        return new IdempotencyRecordCleaner(records);
    }

    /** Deletes remembered responses whose keys have expired. */
    static final class IdempotencyRecordCleaner {

        private final IdempotencyRecordRepository records;

        IdempotencyRecordCleaner(IdempotencyRecordRepository records) {
            this.records = records;
        }

        @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
        void deleteExpired() {
            records.deleteExpired();
        }
    }
}
