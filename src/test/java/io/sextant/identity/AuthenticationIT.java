package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sextant.secrets.SecretCipher;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.ForgedTokens;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Every way a bearer credential can be wrong ends in the same answer: 401, a problem document of
 * type {@code unauthorized} that says what was wrong, and an RFC 6750 challenge. Forged tokens
 * differ from an accepted forgery in exactly one respect each.
 */
class AuthenticationIT extends SextantIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecretCipher cipher;

    ForgedTokens forged;
    String tenantId;
    /** A viewer of the bootstrap tenant, whom the forged tokens name. */
    String viewerId;

    @BeforeEach
    void forger() {
        forged = new ForgedTokens(jdbc, cipher);
        tenantId = api.get("/api/v1/me")
                .bearer(adminToken)
                .send()
                .json()
                .get("tenantId")
                .asString();
        Response viewer = api.post("/api/v1/tenants/" + tenantId + "/users")
                .bearer(adminToken)
                .json(Map.of(
                        "username",
                        "viewer-" + UUID.randomUUID(),
                        "password",
                        "a-viewer-password",
                        "roles",
                        List.of("viewer")))
                .send();
        assertThat(viewer.status()).as(viewer.toString()).isEqualTo(201);
        viewerId = viewer.json().get("id").asString();
    }

    @Test
    void a_correctly_forged_token_with_the_issuers_key_is_accepted() {
        String token = forged.signedByIssuer(
                ForgedTokens.userClaims(tenantId, viewerId).build());

        Response me = api.get("/api/v1/me").bearer(token).send();

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("kind").asString()).isEqualTo("user");
        assertThat(me.json().get("tenantId").asString()).isEqualTo(tenantId);
        assertThat(ApiClient.strings(me.json().get("permissions")))
                .containsExactly("assets:read", "events:read", "positions:read", "workflows:read", "zones:read");
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(200);
    }

    @Test
    void a_forged_token_claiming_more_roles_than_its_user_has_gets_only_the_users_permissions() {
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, viewerId)
                .claim("roles", List.of("admin", "platform-admin"))
                .build());

        Response me = api.get("/api/v1/me").bearer(token).send();

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(ApiClient.strings(me.json().get("permissions")))
                .containsExactly("assets:read", "events:read", "positions:read", "workflows:read", "zones:read");
        assertThat(api.post("/api/v1/tenants")
                        .bearer(token)
                        .json(Map.of("slug", "t-" + UUID.randomUUID().toString().substring(0, 8), "name", "no"))
                        .send()
                        .status())
                .isEqualTo(403);
    }

    @Test
    void a_token_naming_a_user_that_does_not_exist_is_401() {
        String token = forged.signedByIssuer(
                ForgedTokens.userClaims(tenantId, UUID.randomUUID().toString()).build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "disabled or deleted");
    }

    @Test
    void a_token_placing_its_user_in_another_tenant_is_401() {
        TenantFixture other = newTenant();
        String token = forged.signedByIssuer(
                ForgedTokens.userClaims(other.id(), viewerId).build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "disabled or deleted");
    }

    @Test
    void a_token_without_an_expiry_is_401() {
        String token = forged.signedByIssuer(
                ForgedTokens.userClaims(tenantId, viewerId).expirationTime(null).build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "no expiry");
    }

    @Test
    void a_token_expiring_further_ahead_than_the_maximum_lifetime_is_401() {
        Instant now = Instant.now();
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, viewerId)
                .issueTime(null)
                .expirationTime(Date.from(now.plus(Duration.ofHours(25))))
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "maximum lifetime");
    }

    @Test
    void a_token_issued_for_longer_than_the_maximum_lifetime_is_401_even_near_its_end() {
        Instant now = Instant.now();
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, viewerId)
                .issueTime(Date.from(now.minus(Duration.ofHours(24))))
                .notBeforeTime(Date.from(now.minus(Duration.ofHours(24))))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "maximum");
    }

    @Test
    void a_token_within_the_maximum_lifetime_is_accepted() {
        Instant now = Instant.now();
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, viewerId)
                .expirationTime(Date.from(now.plus(Duration.ofHours(23))))
                .build());

        Response me = api.get("/api/v1/me").bearer(token).send();

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
    }

    @Test
    void a_request_without_a_token_is_401_asking_for_a_bearer_token() {
        Response response = api.get("/api/v1/me").send();

        assertUnauthorized(response, "bearer token");
        assertThat(response.header("WWW-Authenticate")).doesNotContain("error=");
    }

    @Test
    void a_malformed_token_is_401() {
        Response response = api.get("/api/v1/me").bearer("garbage").send();

        assertInvalidToken(response, "Invalid JWT serialization");
    }

    @Test
    void a_token_with_characters_no_bearer_token_has_is_401() {
        Response response = api.get("/api/v1/assets")
                .header("Authorization", "Bearer not a token!")
                .send();

        assertInvalidToken(response, "malformed");
    }

    @Test
    void an_expired_token_is_401() {
        Instant past = Instant.now().minus(Duration.ofMinutes(5));
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, viewerId)
                .issueTime(Date.from(past.minus(Duration.ofHours(1))))
                .notBeforeTime(Date.from(past.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(past))
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "expired");
    }

    @Test
    void a_token_not_valid_until_an_hour_from_now_is_401() {
        Instant future = Instant.now().plus(Duration.ofHours(1));
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, viewerId)
                .notBeforeTime(Date.from(future))
                .expirationTime(Date.from(future.plus(Duration.ofHours(1))))
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "used before");
    }

    @Test
    void a_token_of_another_issuer_is_401() {
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, viewerId)
                .issuer("https://issuer.example")
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "issuer");
    }

    @Test
    void a_token_for_another_audience_is_401() {
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, viewerId)
                .audience("another-api")
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "aud");
    }

    @Test
    void an_unsigned_token_with_alg_none_is_401() {
        String token = ForgedTokens.unsigned(
                ForgedTokens.userClaims(tenantId, viewerId).build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "none");
    }

    @Test
    void a_token_signed_by_another_key_under_the_issuers_key_id_is_401() {
        RSAKey real = forged.issuerKey();
        String token = ForgedTokens.sign(
                ForgedTokens.userClaims(tenantId, viewerId).build(), ForgedTokens.strangerKey(), real.getKeyID());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "signature");
    }

    @Test
    void a_token_signed_with_the_issuers_key_under_an_unknown_key_id_is_401() {
        String token = ForgedTokens.sign(
                ForgedTokens.userClaims(tenantId, viewerId).build(), forged.issuerKey(), "no-such-key");

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "no matching key");
    }

    @Test
    void a_token_signed_with_the_issuers_key_and_no_key_id_is_accepted() {
        String token =
                ForgedTokens.sign(ForgedTokens.userClaims(tenantId, viewerId).build(), forged.issuerKey(), null);

        Response me = api.get("/api/v1/me").bearer(token).send();

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
    }

    @Test
    void a_token_signed_by_another_key_with_no_key_id_is_401() {
        String token = ForgedTokens.sign(
                ForgedTokens.userClaims(tenantId, viewerId).build(), ForgedTokens.strangerKey(), null);

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "signature");
    }

    @Test
    void a_token_signed_with_the_issuers_key_under_rs512_is_401() throws JOSEException {
        RSAKey real = forged.issuerKey();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(real.getKeyID()).build(),
                ForgedTokens.userClaims(tenantId, viewerId).build());
        jwt.sign(new RSASSASigner(real));

        assertInvalidToken(api.get("/api/v1/me").bearer(jwt.serialize()).send(), "no matching key");
    }

    @Test
    void an_hmac_token_keyed_with_the_issuers_public_key_is_401() {
        RSAKey real = forged.issuerKey();
        byte[] publicKey;
        try {
            publicKey = real.toRSAPublicKey().getEncoded();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        String token = ForgedTokens.signHmac(
                ForgedTokens.userClaims(tenantId, viewerId).build(), publicKey, real.getKeyID());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "rejected");
    }

    @Test
    void a_signed_token_without_a_tenant_is_401() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(
                        ForgedTokens.userClaims(tenantId, viewerId).build())
                .claim("tenant_id", null)
                .build();

        assertInvalidToken(
                api.get("/api/v1/me").bearer(forged.signedByIssuer(claims)).send(), "tenant");
    }

    @Test
    void an_unknown_api_key_is_401() {
        String token = "sxk_AAAAAAAAAAAA_" + "B".repeat(32);

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "unknown API key");
    }

    @Test
    void a_revoked_api_key_is_401() {
        TenantFixture tenant = newTenant();
        JsonNode created = createApiKey(tenant.adminToken(), List.of("assets:read"));
        String token = created.get("token").asString();
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(200);

        Response revoked = api.delete(
                        "/api/v1/api-keys/" + created.get("key").get("id").asString())
                .bearer(tenant.adminToken())
                .send();
        assertThat(revoked.status()).isEqualTo(204);

        assertInvalidToken(api.get("/api/v1/assets").bearer(token).send(), "revoked");
    }

    @Test
    void an_expired_api_key_is_401() {
        TenantFixture tenant = newTenant();
        JsonNode created = createApiKey(tenant.adminToken(), List.of("assets:read"));
        String token = created.get("token").asString();
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(200);

        int expired = jdbc.sql("update api_key set expires_at = now() - interval '1 minute' where key_id = :keyId")
                .param("keyId", created.get("key").get("keyId").asString())
                .update();
        assertThat(expired).isEqualTo(1);

        assertInvalidToken(api.get("/api/v1/assets").bearer(token).send(), "expired");
    }

    @Test
    void an_api_key_with_a_wrong_secret_is_401() {
        TenantFixture tenant = newTenant();
        String token = createApiKey(tenant.adminToken(), List.of("assets:read"))
                .get("token")
                .asString();
        String tampered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");

        assertInvalidToken(api.get("/api/v1/assets").bearer(tampered).send(), "unknown API key");
    }

    private JsonNode createApiKey(String token, List<String> permissions) {
        Response created = api.post("/api/v1/api-keys")
                .bearer(token)
                .json(Map.of("name", "probe", "permissions", permissions))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    /** A 401 problem for a presented but invalid credential: the challenge names invalid_token. */
    private static void assertInvalidToken(Response response, String detail) {
        assertUnauthorized(response, detail);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    private static void assertUnauthorized(Response response, String detail) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:unauthorized");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asString()).containsIgnoringCase(detail);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }
}
