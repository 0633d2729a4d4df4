package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.platform.http.DomainProblems;
import io.sextant.shared.problem.DomainException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void roles_grant_the_union_of_their_permissions_and_unknown_names_grant_nothing() {
        assertThat(Role.permissionsOf(List.of("viewer", "operator")))
                .containsExactlyInAnyOrder(
                        Permission.ASSETS_READ,
                        Permission.ASSETS_WRITE,
                        Permission.POSITIONS_READ,
                        Permission.POSITIONS_WRITE,
                        Permission.POSITIONS_EXPORT,
                        Permission.ZONES_READ,
                        Permission.ZONES_WRITE,
                        Permission.EVENTS_READ,
                        Permission.WORKFLOWS_READ,
                        Permission.WORKFLOWS_COMMAND);
        assertThat(Role.permissionsOf(List.of("superuser"))).isEmpty();
    }

    @Test
    void a_tenant_admin_does_not_manage_tenants_or_signing_keys() {
        assertThat(Role.ADMIN.permissions()).doesNotContain(Permission.TENANTS_MANAGE, Permission.SIGNING_KEYS_MANAGE);
    }

    @Test
    void nobody_can_grant_a_permission_they_do_not_hold() {
        SextantPrincipal operator = principal(Role.OPERATOR.permissions());
        Grants.requireRolesHeldBy(operator, List.of("viewer"));
        assertThatThrownBy(() -> Grants.requireRolesHeldBy(operator, List.of("admin")))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(DomainProblems.status(e).value()).isEqualTo(403);
                    assertThat(DomainProblems.problem(e).getDetail()).contains("users:manage");
                });
    }

    @Test
    void granting_an_unknown_role_is_400() {
        SextantPrincipal admin = principal(EnumSet.allOf(Permission.class));
        assertThatThrownBy(() -> Grants.requireRolesHeldBy(admin, List.of("root")))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        e -> assertThat(DomainProblems.status(e).value()).isEqualTo(400));
    }

    @Test
    void nested_claims_are_found_by_dotted_path() {
        var claims = java.util.Map.<String, Object>of("realm_access", java.util.Map.of("roles", List.of("admin")));
        assertThat(JwtPrincipals.claimAt(claims, "realm_access.roles")).isEqualTo(List.of("admin"));
        assertThat(JwtPrincipals.claimAt(claims, "realm_access.missing")).isNull();
        assertThat(JwtPrincipals.claimAt(claims, "realm_access.roles.deeper")).isNull();
    }

    private static SextantPrincipal principal(Set<Permission> permissions) {
        return new SextantPrincipal(SextantPrincipal.Kind.USER, "user:test", "test", UUID.randomUUID(), permissions);
    }
}
