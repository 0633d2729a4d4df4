package io.sextant.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sextant.access.AuditFixture.User;
import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's audit log is its own, and it only grows: another tenant's entries exist neither through
 * the API nor, under the tenant's scope, in SQL, and the application's tenant role can neither change
 * nor remove an entry.
 */
class AuditLogIsolationIT extends SextantIT {

    /** PostgreSQL's insufficient_privilege. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    private AuditFixture audit;
    private TenantFixture a;
    private TenantFixture b;

    @BeforeEach
    void twoTenantsWithChanges() {
        audit = new AuditFixture(api);
        a = newTenant();
        b = newTenant();
        createKey(a, "a-key");
        createKey(b, "b-key");
    }

    @Test
    void a_tenant_administrator_never_sees_another_tenants_entries() {
        User bAdmin = audit.user(b, "admin");
        String bKey = createKey(b, "b-only");
        api.get("/api/v1/api-keys").bearer(audit.user(b, "viewer").token()).send();

        List<JsonNode> seenByA = audit.entries(a.adminToken(), "");
        assertThat(seenByA).isNotEmpty();
        assertThat(seenByA).extracting(e -> e.path("resourceId").asString()).doesNotContain(bKey);
        assertThat(seenByA).extracting(e -> e.get("actor").asString()).doesNotContain(bAdmin.subject());
        assertThat(seenByA.toString()).doesNotContain("b-key").doesNotContain("b-only");
        assertThat(audit.entries(a.adminToken(), "resourceId=" + bKey)).isEmpty();
        assertThat(audit.entries(a.adminToken(), "outcome=denied")).isEmpty();
        assertThat(audit.entries(b.adminToken(), "resourceId=" + bKey)).hasSize(1);
        assertThat(audit.entries(b.adminToken(), "outcome=denied")).hasSize(1);
    }

    @Test
    void sql_under_a_tenants_scope_reads_none_of_another_tenants_entries() {
        List<UUID> tenantsSeenByA = inTenant(
                a,
                status -> jdbc.sql("select distinct tenant_id from audit_log")
                        .query(UUID.class)
                        .list());
        assertThat(tenantsSeenByA).containsExactly(UUID.fromString(a.id()));

        // The control: outside any tenant scope the same query sees both.
        List<UUID> seenBySystem = TenantContext.callAsSystem(() -> transactions.execute(
                status -> jdbc.sql("select distinct tenant_id from audit_log where tenant_id is not null")
                        .query(UUID.class)
                        .list()));
        assertThat(seenBySystem).contains(UUID.fromString(a.id()), UUID.fromString(b.id()));
    }

    @Test
    void the_tenant_role_cannot_change_or_remove_an_entry() {
        DataAccessException update = catchThrowableOfType(
                DataAccessException.class,
                () -> inTenant(
                        a,
                        status -> jdbc.sql("update audit_log set actor = 'user:forged'")
                                .update()));
        assertThat(sqlState(update)).as("UPDATE by the tenant role: %s", update).isEqualTo(INSUFFICIENT_PRIVILEGE);

        DataAccessException delete = catchThrowableOfType(
                DataAccessException.class,
                () -> inTenant(a, status -> jdbc.sql("delete from audit_log").update()));
        assertThat(sqlState(delete)).as("DELETE by the tenant role: %s", delete).isEqualTo(INSUFFICIENT_PRIVILEGE);

        DataAccessException truncate = catchThrowableOfType(
                DataAccessException.class,
                () -> inTenant(a, status -> jdbc.sql("truncate audit_log").update()));
        assertThat(sqlState(truncate))
                .as("TRUNCATE by the tenant role: %s", truncate)
                .isEqualTo(INSUFFICIENT_PRIVILEGE);

        // Not even the owner may rewrite history: the trigger refuses its UPDATE.
        DataAccessException ownerUpdate = catchThrowableOfType(
                DataAccessException.class,
                () -> TenantContext.callAsSystem(() -> transactions.execute(
                        status -> jdbc.sql("update audit_log set actor = 'user:forged' where tenant_id = :tenant")
                                .param("tenant", UUID.fromString(a.id()))
                                .update())));
        assertThat(sqlState(ownerUpdate))
                .as("UPDATE by the owner: %s", ownerUpdate)
                .isEqualTo(INSUFFICIENT_PRIVILEGE);
        assertThat(NestedExceptionUtils.getMostSpecificCause(ownerUpdate)).hasMessageContaining("append-only");

        assertThat(audit.entries(a.adminToken(), "action=api-key.created"))
                .extracting(e -> e.get("actor").asString())
                .doesNotContain("user:forged")
                .hasSize(1);
    }

    private String createKey(TenantFixture tenant, String name) {
        Response created = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", name, "permissions", List.of("assets:read")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("key").get("id").asString();
    }

    private <T> T inTenant(TenantFixture tenant, TransactionCallback<T> work) {
        return TenantContext.callAs(UUID.fromString(tenant.id()), () -> transactions.execute(work));
    }

    private static String sqlState(DataAccessException e) {
        assertThat(e).as("a refusal").isNotNull();
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        return cause instanceof SQLException sql ? sql.getSQLState() : "no SQLState in " + cause;
    }
}
