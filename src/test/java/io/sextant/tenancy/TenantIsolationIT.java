package io.sextant.tenancy;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One tenant never sees another's data: through the API another tenant's resources do not exist
 * (404, never 403), and underneath, PostgreSQL's row-level security hides and protects them even
 * from SQL that forgets to filter by tenant.
 */
class TenantIsolationIT extends SextantIT {

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    // --- through the API ---------------------------------------------------------------------

    @Test
    void another_tenants_asset_is_not_found_for_reading_replacing_or_deleting() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String bAsset = createAsset(b.adminToken(), "b-secret", "vehicle", List.of())
                .get("id")
                .asString();
        String path = "/api/v1/assets/" + bAsset;

        assertProblem(api.get(path).bearer(a.adminToken()).send(), 404, path);
        assertProblem(
                api.get(path)
                        .bearer(a.adminToken())
                        .header("If-None-Match", "\"1\"")
                        .send(),
                404,
                path);
        // The right ETag, so a leak would show as a 200 rather than hide behind a 412.
        assertProblem(
                api.put(path)
                        .bearer(a.adminToken())
                        .header("If-Match", "\"1\"")
                        .json(Map.of("externalId", "b-secret", "name", "Taken over", "type", "vehicle"))
                        .send(),
                404,
                path);
        assertProblem(
                api.delete(path)
                        .bearer(a.adminToken())
                        .header("If-Match", "\"1\"")
                        .send(),
                404,
                path);
        assertProblem(api.delete(path).bearer(a.adminToken()).send(), 404, path);

        Response untouched = api.get(path).bearer(b.adminToken()).send();
        assertThat(untouched.status()).isEqualTo(200);
        assertThat(untouched.json().get("name").asString()).isEqualTo("Asset b-secret");
        assertThat(untouched.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void another_tenants_asset_answers_exactly_like_one_that_does_not_exist() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String bAsset = createAsset(b.adminToken(), "b-1", "vehicle", List.of())
                .get("id")
                .asString();

        Response foreign =
                api.get("/api/v1/assets/" + bAsset).bearer(a.adminToken()).send();
        UUID missing = UUID.randomUUID();
        Response absent =
                api.get("/api/v1/assets/" + missing).bearer(a.adminToken()).send();

        assertThat(foreign.status()).isEqualTo(absent.status()).isEqualTo(404);
        assertThat(foreign.json().get("type")).isEqualTo(absent.json().get("type"));
        assertThat(foreign.json().get("detail").asString().replace(bAsset, "ID"))
                .isEqualTo(absent.json().get("detail").asString().replace(missing.toString(), "ID"));
    }

    @Test
    void another_tenants_assets_never_appear_in_a_list() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String mine = createAsset(a.adminToken(), "shared-name", "vehicle", List.of("x"))
                .get("id")
                .asString();
        String theirs = createAsset(b.adminToken(), "shared-name", "vehicle", List.of("x"))
                .get("id")
                .asString();
        createAsset(b.adminToken(), "b-only", "drone", List.of("x"));

        for (String query : List.of("", "?type=vehicle", "?type=drone", "?tag=x", "?limit=500")) {
            Response list =
                    api.get("/api/v1/assets" + query).bearer(a.adminToken()).send();
            assertThat(list.status()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            list.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
            assertThat(ids).as("assets listed for %s", query).doesNotContain(theirs);
            if (!query.contains("drone")) {
                assertThat(ids).as("assets listed for %s", query).containsExactly(mine);
            } else {
                assertThat(ids).as("assets listed for %s", query).isEmpty();
            }
        }
    }

    @Test
    void a_tenant_administrator_cannot_list_or_create_another_tenants_users() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String path = "/api/v1/tenants/" + b.id() + "/users";

        assertProblem(api.get(path).bearer(a.adminToken()).send(), 404, path);
        assertProblem(
                api.post(path)
                        .bearer(a.adminToken())
                        .json(Map.of(
                                "username", "mole@" + b.slug(), "password", "mole-password", "roles", List.of("admin")))
                        .send(),
                404,
                path);
        // The same answer as for a tenant that does not exist at all.
        String nowhere = "/api/v1/tenants/" + UUID.randomUUID() + "/users";
        assertProblem(api.get(nowhere).bearer(a.adminToken()).send(), 404, nowhere);

        Response own = api.get("/api/v1/tenants/" + a.id() + "/users")
                .bearer(a.adminToken())
                .send();
        assertThat(own.status()).isEqualTo(200);
        Response bUsers = api.get(path).bearer(b.adminToken()).send();
        assertThat(bUsers.status()).isEqualTo(200);
        List<String> usernames = new ArrayList<>();
        bUsers.json().get("items").forEach(u -> usernames.add(u.get("username").asString()));
        assertThat(usernames).containsExactly(b.adminUsername());
    }

    // --- underneath: row-level security ------------------------------------------------------

    @Test
    void sql_without_a_tenant_filter_sees_only_the_scoped_tenants_rows() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        createAsset(a.adminToken(), "rls-a1", "vehicle", List.of());
        createAsset(a.adminToken(), "rls-a2", "vehicle", List.of());
        createAsset(b.adminToken(), "rls-b1", "vehicle", List.of());

        List<String> seenByA = inTenant(
                a,
                status -> jdbc.sql("select external_id from asset")
                        .query(String.class)
                        .list());
        List<String> seenByB = inTenant(
                b,
                status -> jdbc.sql("select external_id from asset")
                        .query(String.class)
                        .list());
        assertThat(seenByA).containsExactlyInAnyOrder("rls-a1", "rls-a2");
        assertThat(seenByB).containsExactly("rls-b1");

        // The control: outside any tenant scope the same query sees both tenants' rows, so the
        // filtering above is row-level security, not an accident of the data.
        List<String> seenBySystem = TenantContext.callAsSystem(() -> transactions.execute(status ->
                jdbc.sql("select external_id from asset").query(String.class).list()));
        assertThat(seenBySystem).contains("rls-a1", "rls-a2", "rls-b1");
    }

    @Test
    void a_tenant_scope_sees_only_its_own_tenant_row() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();

        Long tenants = inTenant(
                a,
                status -> jdbc.sql("select count(*) from tenant")
                        .query(Long.class)
                        .single());
        List<UUID> ids = inTenant(
                a, status -> jdbc.sql("select id from tenant").query(UUID.class).list());
        assertThat(tenants).isEqualTo(1L);
        assertThat(ids).containsExactly(UUID.fromString(a.id()));

        List<UUID> all = TenantContext.callAsSystem(() -> transactions.execute(
                status -> jdbc.sql("select id from tenant").query(UUID.class).list()));
        assertThat(all)
                .contains(UUID.fromString(a.id()), UUID.fromString(b.id()))
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void a_tenant_scope_cannot_insert_a_row_for_another_tenant() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        UUID planted = UUID.randomUUID();

        DataAccessException refused = catchThrowableOfType(
                DataAccessException.class,
                () -> inTenant(a, status -> insertAsset(planted, UUID.fromString(b.id()), "planted")));
        assertThat(refused)
                .as("inserting a row of tenant B in tenant A's scope")
                .isNotNull();
        assertThat(refused.getMostSpecificCause().getMessage()).contains("row-level security");
        assertThat(countAssets(planted)).isZero();

        // The control: the very same statement for the scoped tenant's own row is allowed.
        UUID own = UUID.randomUUID();
        Integer inserted = inTenant(a, status -> insertAsset(own, UUID.fromString(a.id()), "own"));
        assertThat(inserted).isEqualTo(1);
        assertThat(countAssets(own)).isOne();
    }

    @Test
    void a_tenant_scope_can_neither_change_nor_delete_nor_take_over_another_tenants_rows() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        UUID bAsset = UUID.fromString(createAsset(b.adminToken(), "b-victim", "vehicle", List.of())
                .get("id")
                .asString());
        UUID aAsset = UUID.fromString(createAsset(a.adminToken(), "a-own", "vehicle", List.of())
                .get("id")
                .asString());

        Integer renamed = inTenant(
                a,
                status -> jdbc.sql("update asset set name = 'hijacked' where id = :id")
                        .param("id", bAsset)
                        .update());
        Integer deleted = inTenant(
                a,
                status -> jdbc.sql("delete from asset where id = :id")
                        .param("id", bAsset)
                        .update());
        assertThat(renamed).isZero();
        assertThat(deleted).isZero();

        DataAccessException moved = catchThrowableOfType(
                DataAccessException.class,
                () -> inTenant(
                        a,
                        status -> jdbc.sql("update asset set tenant_id = :other where id = :id")
                                .param("other", UUID.fromString(b.id()))
                                .param("id", aAsset)
                                .update()));
        assertThat(moved).as("moving tenant A's row to tenant B in A's scope").isNotNull();
        assertThat(moved.getMostSpecificCause().getMessage()).contains("row-level security");

        String name = TenantContext.callAsSystem(() -> jdbc.sql("select name from asset where id = :id")
                .param("id", bAsset)
                .query(String.class)
                .single());
        assertThat(name).isEqualTo("Asset b-victim");
        UUID owner = TenantContext.callAsSystem(() -> jdbc.sql("select tenant_id from asset where id = :id")
                .param("id", aAsset)
                .query(UUID.class)
                .single());
        assertThat(owner).isEqualTo(UUID.fromString(a.id()));
    }

    @Test
    void a_tenant_scope_cannot_read_the_issuers_signing_keys() {
        TenantFixture a = newTenant();
        DataAccessException denied = catchThrowableOfType(
                DataAccessException.class,
                () -> inTenant(
                        a,
                        status -> jdbc.sql("select count(*) from signing_key")
                                .query(Long.class)
                                .single()));
        assertThat(denied).isNotNull();
        assertThat(denied.getMostSpecificCause().getMessage()).contains("permission denied");
        Long keys = TenantContext.callAsSystem(() -> transactions.execute(status ->
                jdbc.sql("select count(*) from signing_key").query(Long.class).single()));
        assertThat(keys).isPositive();
    }

    // --- helpers -----------------------------------------------------------------------------

    private <T> T inTenant(TenantFixture tenant, TransactionCallback<T> work) {
        return TenantContext.callAs(UUID.fromString(tenant.id()), () -> transactions.execute(work));
    }

    private int insertAsset(UUID id, UUID tenantId, String externalId) {
        return jdbc.sql("insert into asset (id, tenant_id, external_id, name, type)"
                        + " values (:id, :tenantId, :externalId, 'Planted', 'vehicle')")
                .param("id", id)
                .param("tenantId", tenantId)
                .param("externalId", externalId)
                .update();
    }

    private long countAssets(UUID id) {
        return TenantContext.callAsSystem(() -> jdbc.sql("select count(*) from asset where id = :id")
                .param("id", id)
                .query(Long.class)
                .single());
    }
}
