package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.ForgedTokens;
import io.sextant.testing.SextantIT;
import io.sextant.testing.TestOidcProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens of the external OpenID Connect provider (here {@link TestOidcProvider}, configured in
 * {@link SextantIT}: tenant in {@code org}, roles in {@code realm_access.roles}, audience {@code
 * sextant}).
 */
class ExternalIssuerIT extends SextantIT {

    @Test
    void an_external_token_naming_a_tenant_by_slug_authenticates_in_that_tenant_with_its_roles() {
        TenantFixture tenant = newTenant();
        String token =
                TestOidcProvider.get().sign(claims(tenant.slug(), "sextant").build());

        Response me = api.get("/api/v1/me").bearer(token).send();

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("kind").asString()).isEqualTo("external");
        assertThat(me.json().get("tenantId").asString()).isEqualTo(tenant.id());
        assertThat(me.json().get("name").asString()).isEqualTo("alice");
        assertThat(me.json().get("subject").asString())
                .isEqualTo("external:" + TestOidcProvider.get().issuer() + "#alice-sub");
        assertThat(ApiClient.strings(me.json().get("permissions")))
                .containsExactly(
                        "assets:read",
                        "assets:write",
                        "events:read",
                        "positions:export",
                        "positions:read",
                        "positions:write",
                        "workflows:command",
                        "workflows:read",
                        "zones:read",
                        "zones:write");
        createAsset(token, "crane-1", "crane", List.of());
        assertThat(api.get("/api/v1/assets")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void an_external_token_may_name_its_tenant_by_id() {
        TenantFixture tenant = newTenant();
        String token =
                TestOidcProvider.get().sign(claims(tenant.id(), "sextant").build());

        Response me = api.get("/api/v1/me").bearer(token).send();

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("tenantId").asString()).isEqualTo(tenant.id());
    }

    @Test
    void an_external_token_for_another_audience_is_401() {
        TenantFixture tenant = newTenant();
        String token =
                TestOidcProvider.get().sign(claims(tenant.slug(), "account").build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "aud");
    }

    @Test
    void an_external_token_naming_an_unknown_tenant_is_401() {
        String token =
                TestOidcProvider.get().sign(claims("no-such-tenant", "sextant").build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "unknown tenant");
    }

    @Test
    void an_external_token_without_the_tenant_claim_is_401() {
        String token = TestOidcProvider.get()
                .sign(claims("ignored", "sextant").claim("org", null).build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "'org'");
    }

    @Test
    void an_expired_external_token_is_401() {
        TenantFixture tenant = newTenant();
        Instant past = Instant.now().minus(Duration.ofMinutes(5));
        String token = TestOidcProvider.get()
                .sign(claims(tenant.slug(), "sextant")
                        .issueTime(Date.from(past.minus(Duration.ofHours(1))))
                        .expirationTime(Date.from(past))
                        .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "expired");
    }

    @Test
    void an_external_token_without_an_expiry_is_401() {
        TenantFixture tenant = newTenant();
        String token = TestOidcProvider.get()
                .sign(claims(tenant.slug(), "sextant").expirationTime(null).build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "no expiry");
    }

    @Test
    void an_external_token_living_longer_than_the_maximum_lifetime_is_401() {
        TenantFixture tenant = newTenant();
        Instant now = Instant.now();
        String token = TestOidcProvider.get()
                .sign(claims(tenant.slug(), "sextant")
                        .expirationTime(Date.from(now.plus(Duration.ofDays(30))))
                        .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "maximum");
    }

    @Test
    void a_token_claiming_the_external_issuer_but_signed_by_another_key_is_401() {
        TenantFixture tenant = newTenant();
        String token = ForgedTokens.sign(
                claims(tenant.slug(), "sextant").build(), ForgedTokens.strangerKey(), "external-key-1");

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "signature");
    }

    @Test
    void a_group_of_the_roles_claim_gets_the_grants_written_for_that_group_and_loses_them_when_revoked() {
        TenantFixture tenant = newTenant();
        String token = TestOidcProvider.get()
                .sign(claims(tenant.slug(), "sextant")
                        .claim("realm_access", Map.of("roles", List.of("dispatch", "offline_access")))
                        .build());
        // "dispatch" is no built-in role: the token alone may do nothing.
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(403);

        Response grant = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of("subject", "group:dispatch", "role", "viewer"))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(200);
        assertThat(ApiClient.strings(
                        api.get("/api/v1/me").bearer(token).send().json().get("permissions")))
                .contains("assets:read", "positions:read");

        assertThat(api.delete("/api/v1/grants/" + grant.json().get("id").asString())
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(204);
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(403);
    }

    private static JWTClaimsSet.Builder claims(String org, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(TestOidcProvider.get().issuer())
                .subject("alice-sub")
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("preferred_username", "alice")
                .claim("org", org)
                .claim("realm_access", Map.of("roles", List.of("operator", "offline_access")));
    }

    private static void assertInvalidToken(Response response, String detail) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:unauthorized");
        assertThat(response.json().get("detail").asString()).containsIgnoringCase(detail);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").contains("error=\"invalid_token\"");
    }
}
