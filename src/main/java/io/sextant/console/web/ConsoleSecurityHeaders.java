package io.sextant.console.web;

import io.sextant.console.ConsoleProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's content security policy: scripts, styles, data and the map's worker only from this
 * server (and tiles from the configured tile server), never framed. The console has no inline
 * script; MapLibre sets element styles from script, which a policy does not restrict, and its CSP
 * build loads its worker from a file rather than a blob.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityHeaders {

    static String policy(ConsoleProperties properties) {
        String tiles = properties.tileUrl() == null ? "" : " " + ConsoleProperties.tileOrigin(properties.tileUrl());
        return "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline';"
                + " img-src 'self' data: blob:" + tiles + "; connect-src 'self'" + tiles
                + "; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none';"
                + " frame-ancestors 'none'";
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> consoleContentSecurityPolicy(ConsoleProperties properties) {
        String policy = policy(properties);
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                response.setHeader("Content-Security-Policy", policy);
                response.setHeader("Referrer-Policy", "no-referrer");
                chain.doFilter(request, response);
            }
        };
        var registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/console", "/console/*");
        registration.setName("consoleContentSecurityPolicy");
        return registration;
    }
}
