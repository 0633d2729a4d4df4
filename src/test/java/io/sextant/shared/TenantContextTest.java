package io.sextant.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.shared.access.AccessPolicy;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** Work done for a caller runs as the caller's request would, and leaves the thread as it found it. */
class TenantContextTest {

    private static final UUID JOB_TENANT = UUID.randomUUID();
    private static final UUID CALLER_TENANT = UUID.randomUUID();

    private record Caller(UUID tenantId, String subjectId, AccessPolicy policy) implements TenantPrincipal {}

    private static TestingAuthenticationToken authenticated(Object principal) {
        TestingAuthenticationToken token = new TestingAuthenticationToken(principal, "", "positions:read");
        token.setAuthenticated(true);
        return token;
    }

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void work_for_a_caller_inside_a_job_runs_as_the_caller_and_the_job_resumes_as_itself() {
        Caller caller = new Caller(CALLER_TENANT, "user:someone", new AccessPolicy("user:someone", List.of()));

        TenantContext.callAs(JOB_TENANT, () -> {
            boolean[] inside = new boolean[3];
            TenantContext.callFor(authenticated(caller), () -> {
                inside[0] = !TenantContext.isOverridden();
                inside[1] = TenantContext.require().equals(CALLER_TENANT);
                inside[2] = TenantContext.principal().orElseThrow() == caller;
                return true;
            });
            assertThat(inside).containsOnly(true);
            assertThat(TenantContext.isOverridden()).isTrue();
            assertThat(TenantContext.require()).isEqualTo(JOB_TENANT);
            assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
            return true;
        });
        assertThat(TenantContext.isOverridden()).isFalse();
    }

    @Test
    void the_authentication_of_the_thread_is_restored_even_when_the_work_fails() {
        TestingAuthenticationToken before = authenticated("someone else");
        SecurityContextHolder.getContext().setAuthentication(before);
        Caller caller = new Caller(CALLER_TENANT, "user:someone", new AccessPolicy("user:someone", List.of()));

        assertThatThrownBy(() -> TenantContext.callFor(authenticated(caller), () -> {
                    throw new IllegalStateException("failed");
                }))
                .hasMessage("failed");

        assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(before);
    }

    @Test
    void only_an_authenticated_tenant_principal_is_a_caller_to_work_for() {
        assertThatThrownBy(() -> TenantContext.callFor(authenticated("not a tenant principal"), () -> true))
                .isInstanceOf(IllegalArgumentException.class);
        Caller caller = new Caller(CALLER_TENANT, "user:someone", new AccessPolicy("user:someone", List.of()));
        TestingAuthenticationToken unauthenticated = new TestingAuthenticationToken(caller, "");
        unauthenticated.setAuthenticated(false);
        assertThatThrownBy(() -> TenantContext.callFor(unauthenticated, () -> true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
