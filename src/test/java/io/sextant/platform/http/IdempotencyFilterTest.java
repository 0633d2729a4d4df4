package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.platform.http.IdempotencyRecordRepository.CallerKey;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.access.AccessPolicy;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What the client hears when the database goes away around its request: the request's own answer,
 * whether or not the key could be settled, which is then left to its lease. The database failing at
 * that instant is the one part these tests stand in for; {@code IdempotencyLeaseIT} runs the rest
 * against PostgreSQL.
 */
class IdempotencyFilterTest {

    private static final UUID TENANT = UUID.randomUUID();

    private record Caller(UUID tenantId, String subjectId, AccessPolicy policy) implements TenantPrincipal {}

    /** Records that claim every key and fail, as a vanished database would, where told to. */
    private static final class Records extends IdempotencyRecordRepository {

        final List<String> calls = new ArrayList<>();
        boolean completeFails;
        boolean releaseFails;

        Records() {
            super(null);
        }

        @Override
        boolean claim(CallerKey key, byte[] requestHash, UUID claimId, Duration lease) {
            calls.add("claim");
            return true;
        }

        @Override
        boolean complete(
                CallerKey key,
                UUID claimId,
                int status,
                Map<String, String> headers,
                byte[] body,
                boolean sealed,
                Duration ttl) {
            calls.add("complete " + status);
            if (completeFails) {
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection");
            }
            return true;
        }

        @Override
        void release(CallerKey key, UUID claimId) {
            calls.add("release");
            if (releaseFails) {
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection");
            }
        }
    }

    private final Records records = new Records();
    private final IdempotencyFilter filter =
            // No answer here asks to be sealed: the cipher is not used (ApiConventionsIT covers it).
            new IdempotencyFilter(records, null, Duration.ofHours(24), Duration.ofMinutes(2));

    @BeforeEach
    void signIn() {
        TestingAuthenticationToken token = new TestingAuthenticationToken(
                new Caller(TENANT, "user:someone", new AccessPolicy("user:someone", List.of())), "", "assets:write");
        token.setAuthenticated(true);
        SecurityContextHolder.getContext().setAuthentication(token);
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void a_request_that_did_its_work_answers_its_client_even_when_its_answer_cannot_be_remembered() throws Exception {
        records.completeFails = true;

        MockHttpServletResponse response = send(201, "{\"id\":\"created\"}");

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getContentAsString()).isEqualTo("{\"id\":\"created\"}");
        assertThat(records.calls)
                .as("the key is not given up: a retry within the lease is refused, not run again at once")
                .containsExactly("claim", "complete 201");
    }

    @Test
    void a_failed_request_answers_with_its_own_failure_when_its_key_cannot_be_given_up() throws Exception {
        records.releaseFails = true;

        MockHttpServletResponse response = send(503, "{\"type\":\"urn:sextant:problem:database-unavailable\"}");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).contains("database-unavailable");
        assertThat(records.calls).containsExactly("claim", "release");
    }

    @Test
    void a_request_whose_answer_is_remembered_answers_its_client() throws Exception {
        MockHttpServletResponse response = send(201, "{\"id\":\"created\"}");

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getContentAsString()).isEqualTo("{\"id\":\"created\"}");
        assertThat(records.calls).containsExactly("claim", "complete 201");
    }

    @Test
    void an_answer_is_a_secret_when_its_cache_control_has_no_store_among_its_directives() {
        assertThat(IdempotencyFilter.secret("no-store")).isTrue();
        assertThat(IdempotencyFilter.secret("private, No-Store, max-age=0")).isTrue();
        assertThat(IdempotencyFilter.secret("no-cache")).isFalse();
        assertThat(IdempotencyFilter.secret("max-age=60")).isFalse();
        assertThat(IdempotencyFilter.secret(null)).isFalse();
    }

    private MockHttpServletResponse send(int status, String body) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/assets");
        request.addHeader(IdempotencyFilter.HEADER, "key-1");
        request.setContent("{\"externalId\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            ((HttpServletResponse) res).setStatus(status);
            res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        });
        return response;
    }
}
