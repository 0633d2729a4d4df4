package io.sextant.identity.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tracker apps that cannot set headers (Traccar Client) send their API key in the URL, {@code
 * ?key=sxk_…}. Before anything else sees the request, this filter takes the key out of the query
 * string and the parameters and keeps it in a request attribute for {@link TrackerCredentials}: so
 * no request line that Spring Security, Spring MVC or a problem document writes, whatever the log
 * level, and no parameter that a decoder stores, can carry it.
 */
final class UrlApiKeyFilter extends OncePerRequestFilter {

    static final String PARAMETER = "key";
    static final String ATTRIBUTE = UrlApiKeyFilter.class.getName() + ".key";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query == null) {
            chain.doFilter(request, response);
            return;
        }
        List<String> kept = new ArrayList<>();
        String key = null;
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (PARAMETER.equals(name)) {
                if (key == null) {
                    key = equals < 0 ? "" : decode(pair.substring(equals + 1));
                }
            } else {
                kept.add(pair);
            }
        }
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(ATTRIBUTE, key);
        chain.doFilter(new WithoutKey(request, kept.isEmpty() ? null : String.join("&", kept)), response);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** The request as if it had been sent without the key. */
    private static final class WithoutKey extends HttpServletRequestWrapper {

        private final @Nullable String query;

        WithoutKey(HttpServletRequest request, @Nullable String query) {
            super(request);
            this.query = query;
        }

        @Override
        public @Nullable String getQueryString() {
            return query;
        }

        @Override
        public @Nullable String getParameter(String name) {
            return PARAMETER.equals(name) ? null : super.getParameter(name);
        }

        @Override
        public String @Nullable [] getParameterValues(String name) {
            return PARAMETER.equals(name) ? null : super.getParameterValues(name);
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            Map<String, String[]> parameters = new LinkedHashMap<>(super.getParameterMap());
            parameters.remove(PARAMETER);
            return Collections.unmodifiableMap(parameters);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }
    }
}
