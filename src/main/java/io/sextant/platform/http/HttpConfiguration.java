package io.sextant.platform.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.sextant.platform.RequestBodyLimit;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The servlet filters every request passes, in order: request id, size limit, (Spring Security),
 * rate limit, idempotency. The last two run after authentication because they are per principal.
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

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(
            HttpProperties properties, List<RequestBodyLimit> overrides) {
        var registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), overrides));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(HttpProperties properties, MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(new RateLimitFilter(properties.rateLimit(), meters));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
        registration.setEnabled(properties.rateLimit().enabled());
        return registration;
    }

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(HttpProperties properties, IdempotencyRecords records) {
        var registration = new FilterRegistrationBean<>(new IdempotencyFilter(records, properties.idempotencyTtl()));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 20);
        return registration;
    }

    @Bean
    IdempotencyRecordCleaner idempotencyRecordCleaner(IdempotencyRecords records) {
        return new IdempotencyRecordCleaner(records);
    }

    /** Deletes remembered responses whose keys have expired. */
    static final class IdempotencyRecordCleaner {

        private final IdempotencyRecords records;

        IdempotencyRecordCleaner(IdempotencyRecords records) {
            this.records = records;
        }

        @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
        void deleteExpired() {
            records.deleteExpired();
        }
    }
}
