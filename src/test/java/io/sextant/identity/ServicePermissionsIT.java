package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.asset.Asset;
import io.sextant.asset.AssetDraft;
import io.sextant.asset.Assets;
import io.sextant.asset.Classification;
import io.sextant.shared.TenantContext;
import io.sextant.shared.web.CursorPage;
import io.sextant.tenancy.Tenant;
import io.sextant.tenancy.Tenants;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Application services check the caller's permission themselves ({@code @RequiresPermission}), so
 * an adapter that calls one directly — not over HTTP — gets the check too, while internal work
 * (named tenant, or no caller at all) is served. Ports other modules call inside their requests
 * require nothing of their own.
 */
class ServicePermissionsIT extends SextantIT {

    @Autowired
    Assets assets;

    @Autowired
    Tenants tenants;

    @AfterEach
    void forgetTheCaller() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void a_caller_without_the_permission_is_refused_by_the_service_itself() {
        UUID tenant = UUID.fromString(newTenant().id());
        actAs(caller(tenant, Role.VIEWER));

        assertThatThrownBy(() -> assets.create(draft("refused-1"))).isInstanceOf(AccessDeniedException.class);

        actAs(caller(tenant, Role.OPERATOR));
        assertThat(assets.list(null, List.of(), null, 10).items()).isEmpty();
    }

    @Test
    void a_caller_with_the_permission_is_served() {
        UUID tenant = UUID.fromString(newTenant().id());
        actAs(caller(tenant, Role.OPERATOR));

        Asset created = assets.create(draft("served-1"));

        assertThat(created.tenantId()).isEqualTo(tenant);
        assertThat(assets.get(created.id()).externalId()).isEqualTo("served-1");
    }

    @Test
    void internal_work_is_served_whoever_is_on_the_thread() {
        UUID tenant = UUID.fromString(newTenant().id());
        actAs(caller(tenant, Role.VIEWER));

        Asset asJob = TenantContext.callAs(tenant, () -> assets.create(draft("internal-1")));
        assertThatThrownBy(() -> tenants.list(null, 10)).isInstanceOf(AccessDeniedException.class);
        SecurityContextHolder.clearContext();
        CursorPage<Tenant> withNoCaller = tenants.list(null, 10);

        assertThat(asJob.tenantId()).isEqualTo(tenant);
        assertThat(withNoCaller.items()).isNotEmpty();
    }

    @Test
    void an_anonymous_or_foreign_authentication_is_refused_whatever_authorities_it_claims() {
        UUID tenant = UUID.fromString(newTenant().id());
        List<Authentication> strangers = List.of(
                new AnonymousAuthenticationToken(
                        "key", "anonymousUser", AuthorityUtils.createAuthorityList("assets:read")),
                UsernamePasswordAuthenticationToken.authenticated(
                        "someone", null, AuthorityUtils.createAuthorityList("assets:read")));

        for (Authentication stranger : strangers) {
            actAs(stranger);
            assertThatThrownBy(() -> assets.list(null, List.of(), null, 10))
                    .as(stranger.getClass().getSimpleName())
                    .isInstanceOf(AccessDeniedException.class);
        }
        SecurityContextHolder.clearContext();
        assertThat(TenantContext.callAs(tenant, () -> assets.list(null, List.of(), null, 10))
                        .items())
                .isEmpty();
    }

    @Test
    void an_adapter_that_forgets_its_check_still_answers_403_from_the_service() {
        TenantFixture tenant = newTenant();
        String tracker = apiKey(tenant, "positions:write");

        Response refused =
                api.get(UnguardedAssetsController.PATH).bearer(tracker).send();
        Response served = api.get(UnguardedAssetsController.PATH)
                .bearer(tenant.adminToken())
                .send();

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:sextant:problem:forbidden");
        assertThat(served.status()).as(served.toString()).isEqualTo(200);
    }

    @Test
    void a_key_with_only_positions_write_still_registers_unknown_devices_when_the_tenant_allows_it() {
        TenantFixture tenant = newTenant();
        Response allowed = api.put("/api/v1/tenants/" + tenant.id() + "/settings")
                .bearer(tenant.adminToken())
                .json(Map.of("positionRetention", "P30D", "autoRegisterAssets", true))
                .send();
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        String tracker = apiKey(tenant, "positions:write");

        Response ingested = api.post("/api/v1/positions")
                .bearer(tracker)
                .json(List.of(fix("new-phone-1", Instant.now().minus(1, ChronoUnit.MINUTES))))
                .send();

        assertThat(ingested.status()).as(ingested.toString()).isEqualTo(200);
        assertThat(ingested.json().get("accepted").asInt()).isEqualTo(1);
        Response registered = api.get("/api/v1/assets?type=unregistered")
                .bearer(tenant.adminToken())
                .send();
        assertThat(registered.json().get("items").get(0).get("externalId").asString())
                .isEqualTo("new-phone-1");
    }

    @Test
    void a_key_with_only_positions_read_reads_tracks_and_filtered_positions_but_not_the_assets() {
        TenantFixture tenant = newTenant();
        String assetId = createAsset(tenant.adminToken(), "truck-7", "vehicle", List.of("north"))
                .get("id")
                .asString();
        Instant t = Instant.now().minus(1, ChronoUnit.MINUTES);
        api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(fix("truck-7", t)))
                .send();
        String reader = apiKey(tenant, "positions:read");

        Response track = api.get("/api/v1/assets/" + assetId + "/track?from=" + t.minusSeconds(60) + "&to="
                        + t.plusSeconds(60) + "&format=points")
                .bearer(reader)
                .send();
        Response unknownTrack = api.get("/api/v1/assets/" + UUID.randomUUID() + "/track?from=" + t.minusSeconds(60)
                        + "&to=" + t.plusSeconds(60))
                .bearer(reader)
                .send();
        Response filtered = api.get("/api/v1/positions/latest?type=vehicle&tag=north")
                .bearer(reader)
                .send();
        Response asset = api.get("/api/v1/assets/" + assetId).bearer(reader).send();

        assertThat(track.status()).as(track.toString()).isEqualTo(200);
        assertThat(track.json().get("features").size()).isEqualTo(1);
        assertThat(unknownTrack.status()).as(unknownTrack.toString()).isEqualTo(404);
        assertThat(filtered.status()).as(filtered.toString()).isEqualTo(200);
        assertThat(filtered.json().get("features").size()).isEqualTo(1);
        assertThat(asset.status()).as(asset.toString()).isEqualTo(403);
    }

    private static SextantAuthentication caller(UUID tenant, Role role) {
        return new SextantAuthentication(
                new SextantPrincipal(
                        SextantPrincipal.Kind.USER, "user:" + UUID.randomUUID(), "tester", tenant, role.permissions()),
                "not a token");
    }

    private static void actAs(Authentication authentication) {
        SecurityContextHolder.getContext().setAuthentication(authentication);
    }

    private static AssetDraft draft(String externalId) {
        return new AssetDraft(
                externalId, "Asset " + externalId, "vehicle", List.of(), Map.of(), Classification.INTERNAL);
    }

    private static Map<String, Object> fix(String externalId, Instant time) {
        return Map.of("externalId", externalId, "time", time.toString(), "lon", 2.35, "lat", 48.85);
    }

    private String apiKey(TenantFixture tenant, String... permissions) {
        Response created = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "key", "permissions", List.of(permissions)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asString();
    }
}
