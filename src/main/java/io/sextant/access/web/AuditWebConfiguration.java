package io.sextant.access.web;

import io.sextant.access.AuditLogDenials;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class AuditWebConfiguration {

    /**
     * After the request-id filter (the entry carries the id) and before Spring Security (whose entry
     * point answers the 401s), so that every refusal passes through it on the way out.
     */
    @Bean
    FilterRegistrationBean<AuditDeniedRequestFilter> auditDeniedRequestFilter(AuditLogDenials denials) {
        var registration = new FilterRegistrationBean<>(new AuditDeniedRequestFilter(denials));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return registration;
    }
}
