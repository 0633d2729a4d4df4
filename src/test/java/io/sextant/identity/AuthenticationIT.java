package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.ForgedTokens;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
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

    ForgedTokens forged;
    String tenantId;

    @BeforeEach
    void forger() {
        forged = new ForgedTokens(jdbc);
        tenantId = api.get("/api/v1/me")
                .bearer(adminToken)
                .send()
                .json()
                .get("tenantId")
                .asString();
    }

    @Test
    void a_correctly_forged_token_with_the_issuers_key_is_accepted() {
        String token = forged.signedByIssuer(
                ForgedTokens.userClaims(tenantId, List.of("viewer")).build());

        Response me = api.get("/api/v1/me").bearer(token).send();

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("kind").asString()).isEqualTo("user");
        assertThat(me.json().get("tenantId").asString()).isEqualTo(tenantId);
        assertThat(ApiClient.strings(me.json().get("permissions")))
                .containsExactly("assets:read", "events:read", "positions:read", "zones:read");
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(200);
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
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, List.of("viewer"))
                .issueTime(Date.from(past.minus(Duration.ofHours(1))))
                .notBeforeTime(Date.from(past.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(past))
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "expired");
    }

    @Test
    void a_token_not_valid_until_an_hour_from_now_is_401() {
        Instant future = Instant.now().plus(Duration.ofHours(1));
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, List.of("viewer"))
                .notBeforeTime(Date.from(future))
                .expirationTime(Date.from(future.plus(Duration.ofHours(1))))
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "used before");
    }

    @Test
    void a_token_of_another_issuer_is_401() {
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, List.of("viewer"))
                .issuer("https://issuer.example")
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "issuer");
    }

    @Test
    void a_token_for_another_audience_is_401() {
        String token = forged.signedByIssuer(ForgedTokens.userClaims(tenantId, List.of("viewer"))
                .audience("another-api")
                .build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "aud");
    }

    @Test
    void an_unsigned_token_with_alg_none_is_401() {
        String token = ForgedTokens.unsigned(
                ForgedTokens.userClaims(tenantId, List.of("admin")).build());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "none");
    }

    @Test
    void a_token_signed_by_another_key_under_the_issuers_key_id_is_401() {
        RSAKey real = forged.issuerKey();
        String token = ForgedTokens.sign(
                ForgedTokens.userClaims(tenantId, List.of("admin")).build(),
                ForgedTokens.strangerKey(),
                real.getKeyID());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "signature");
    }

    @Test
    void a_token_signed_with_the_issuers_key_under_an_unknown_key_id_is_401() {
        String token = ForgedTokens.sign(
                ForgedTokens.userClaims(tenantId, List.of("viewer")).build(), forged.issuerKey(), "no-such-key");

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "no matching key");
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
                ForgedTokens.userClaims(tenantId, List.of("admin")).build(), publicKey, real.getKeyID());

        assertInvalidToken(api.get("/api/v1/me").bearer(token).send(), "rejected");
    }

    @Test
    void a_signed_token_without_a_tenant_is_401() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(
                        ForgedTokens.userClaims(tenantId, List.of("viewer")).build())
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

    @Test
    void a_revoked_service_accounts_token_works_until_expiry_but_it_gets_no_new_token() {
        TenantFixture tenant = newTenant();
        Response created = api.post("/api/v1/service-accounts")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "ingest", "roles", List.of("operator")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("account").get("id").asString();
        String clientId = created.json().get("account").get("clientId").asString();
        String secret = created.json().get("clientSecret").asString();
        Response issued = api.clientCredentials(clientId, secret);
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        String token = issued.json().get("access_token").asString();

        Response revoked = api.delete("/api/v1/service-accounts/" + id)
                .bearer(tenant.adminToken())
                .send();
        assertThat(revoked.status()).isEqualTo(204);

        Response stillValid = api.get("/api/v1/me").bearer(token).send();
        assertThat(stillValid.status()).as(stillValid.toString()).isEqualTo(200);
        assertThat(stillValid.json().get("kind").asString()).isEqualTo("service_account");
        Response refused = api.clientCredentials(clientId, secret);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.json().get("error").asString()).isEqualTo("invalid_client");
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
