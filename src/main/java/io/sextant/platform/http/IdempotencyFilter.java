package io.sextant.platform.http;

import io.sextant.platform.http.IdempotencyRecordRepository.CallerKey;
import io.sextant.secrets.SecretCipher;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Idempotency-Key on creating POSTs (draft-ietf-httpapi-idempotency-key-header): the first request
 * with a key runs and its response is remembered; a retry with the same key and the same request
 * gets that response again ({@code Idempotent-Replayed: true}); the same key with a different
 * request is a 422, and a retry while the first is still running a 409. Keys are per principal.
 * Server errors are not remembered, so a retry after one runs again.
 *
 * <p>The claim on a key is committed before the request runs, so a request killed with its process
 * leaves a claim without a response. The claim is therefore a lease: once it has run out, a retry
 * takes the key over and runs. A request that outlived its lease (which the lease's length rules
 * out short of a stalled process) neither overwrites nor releases its successor's claim.
 *
 * <p>An answer marked {@code Cache-Control: no-store} holds a secret shown once (a new API key, a
 * client secret, a webhook signing secret). It is remembered sealed by the {@link SecretCipher},
 * bound to its caller and key, so the database never holds it in the clear.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");
    private static final List<String> REMEMBERED_HEADERS =
            List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION, HttpHeaders.ETAG, HttpHeaders.CACHE_CONTROL);

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotencyRecordRepository records;
    private final SecretCipher cipher;
    private final Duration ttl;
    private final Duration lease;

    IdempotencyFilter(IdempotencyRecordRepository records, SecretCipher cipher, Duration ttl, Duration lease) {
        this.records = records;
        this.cipher = cipher;
        this.ttl = ttl;
        this.lease = lease;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<TenantPrincipal> principal = TenantContext.principal();
        if (principal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String key = request.getHeader(HEADER);
        if (!KEY.matcher(key).matches()) {
            ProblemResponses.write(
                    request,
                    response,
                    Problems.validationProblem(
                            List.of(new FieldError(HEADER, "must be 1-255 visible ASCII characters"))));
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        byte[] hash = hash(request, body);
        CallerKey callerKey =
                new CallerKey(principal.get().tenantId(), principal.get().subjectId(), key);

        UUID claim = UUID.randomUUID();
        if (!records.claim(callerKey, hash, claim, lease)) {
            replayOrRefuse(request, response, callerKey, hash);
            return;
        }
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        boolean answered = false;
        try {
            chain.doFilter(new CachedBodyRequest(request, body), captured);
            answered = captured.getStatus() < 500;
        } finally {
            if (answered) {
                remember(callerKey, claim, captured);
            } else {
                release(callerKey, claim);
            }
            captured.copyBodyToResponse();
        }
    }

    /**
     * Remembers the answer under the key. The request's work is done whether or not that succeeds,
     * so the client gets its answer either way; a key that could not be answered (the database went
     * away just now) stays held until its lease runs out.
     */
    private void remember(CallerKey key, UUID claim, ContentCachingResponseWrapper answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : REMEMBERED_HEADERS) {
            String value = answer.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        byte[] body = answer.getContentAsByteArray();
        boolean sealed = secret(answer.getHeader(HttpHeaders.CACHE_CONTROL));
        try {
            if (!records.complete(
                    key,
                    claim,
                    answer.getStatus(),
                    headers,
                    sealed ? cipher.seal(body, key.sealingContext()) : body,
                    sealed,
                    ttl)) {
                log.warn(
                        "A request outlived its Idempotency-Key lease ({}) and another request took the key over;"
                                + " its response is not remembered",
                        lease);
            }
        } catch (RuntimeException failure) {
            log.warn(
                    "The response to a request with an Idempotency-Key was not remembered ({});"
                            + " the key stays held for its lease ({})",
                    failure.toString(),
                    lease);
        }
    }

    /**
     * Gives the key up after a failed request, so that a retry runs at once. If that fails too (the
     * database went away, which is likely why the request failed), the lease frees the key later,
     * and the request's own failure is what the client hears.
     */
    private void release(CallerKey key, UUID claim) {
        try {
            records.release(key, claim);
        } catch (RuntimeException failure) {
            log.warn(
                    "An Idempotency-Key was not given up after its request failed ({}); it is held for its lease ({})",
                    failure.toString(),
                    lease);
        }
    }

    /** Whether a Cache-Control header forbids storing the answer: it holds a secret shown once. */
    static boolean secret(@Nullable String cacheControl) {
        if (cacheControl == null) {
            return false;
        }
        for (String directive : cacheControl.split(",")) {
            if (directive.strip().equalsIgnoreCase("no-store")) {
                return true;
            }
        }
        return false;
    }

    private void replayOrRefuse(HttpServletRequest request, HttpServletResponse response, CallerKey key, byte[] hash)
            throws IOException {
        Optional<IdempotencyRecordRepository.Stored> stored = records.find(key);
        if (stored.isEmpty() || stored.get().status() == null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            ProblemResponses.write(
                    request,
                    response,
                    Problems.detail(
                            HttpStatus.CONFLICT,
                            "idempotency-key-in-use",
                            "Request in progress",
                            "a request with this Idempotency-Key is still being processed; retry later"));
            return;
        }
        IdempotencyRecordRepository.Stored record = stored.get();
        int status = Objects.requireNonNull(record.status());
        if (!MessageDigest.isEqual(record.requestHash(), hash)) {
            ProblemResponses.write(
                    request,
                    response,
                    Problems.detail(
                            HttpStatus.UNPROCESSABLE_CONTENT,
                            "idempotency-key-reused",
                            "Idempotency-Key reused",
                            "this Idempotency-Key was used for a different request; use a new key for a new request"));
            return;
        }
        byte[] remembered = record.body();
        // Opened before anything is answered: a key retired too early fails as a whole.
        byte[] body =
                remembered != null && record.sealed() ? cipher.open(remembered, key.sealingContext()) : remembered;
        response.setStatus(status);
        record.headers().forEach(response::setHeader);
        response.setHeader("Idempotent-Replayed", "true");
        if (body != null) {
            response.getOutputStream().write(body);
        }
    }

    private static byte[] hash(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String target = request.getMethod() + " " + request.getRequestURI() + "?"
                    + (request.getQueryString() == null ? "" : request.getQueryString()) + "\n";
            digest.update(target.getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
