package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.ForgedTokens;
import io.sextant.testing.SextantIT;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The embedded issuer's keys: a rotation adds a signing key while earlier tokens keep verifying;
 * retiring a key ends its tokens; discovery and the JWKS publish the live public keys only.
 */
class SigningKeyRotationIT extends SextantIT {

    private static final List<String> PRIVATE_RSA_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi");

    @Test
    void a_rotation_keeps_earlier_tokens_valid_until_their_key_is_retired() {
        String before = adminToken;
        String oldKid = ForgedTokens.keyIdOf(before);

        Response rotated =
                api.post("/api/v1/signing-keys/rotate").bearer(adminToken).send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        String newKid = rotated.json().get("kid").asString();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertNoPrivateMembers(rotated.json());
        assertThat(activeKeyId()).isEqualTo(newKid);

        assertThat(api.get("/api/v1/me").bearer(before).send().status()).isEqualTo(200);
        String after = api.signIn(ADMIN, ADMIN_PASSWORD);
        assertThat(ForgedTokens.keyIdOf(after)).isEqualTo(newKid);
        assertThat(jwksKeyIds()).contains(oldKid, newKid);

        Response retired =
                api.delete("/api/v1/signing-keys/" + oldKid).bearer(after).send();
        assertThat(retired.status()).as(retired.toString()).isEqualTo(204);

        Response refused = api.get("/api/v1/me").bearer(before).send();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:sextant:problem:unauthorized");
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        assertThat(api.get("/api/v1/me").bearer(after).send().status()).isEqualTo(200);
        assertThat(jwksKeyIds()).contains(newKid).doesNotContain(oldKid);
    }

    @Test
    void the_last_live_key_cannot_be_retired() {
        String active = activeKeyId();
        for (String kid : liveKeyIds()) {
            if (!kid.equals(active)) {
                assertThat(api.delete("/api/v1/signing-keys/" + kid)
                                .bearer(adminToken)
                                .send()
                                .status())
                        .isEqualTo(204);
            }
        }
        assertThat(liveKeyIds()).containsExactly(active);

        Response refused =
                api.delete("/api/v1/signing-keys/" + active).bearer(adminToken).send();

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:sextant:problem:conflict");
        assertThat(refused.json().get("detail").asString()).contains(active).contains("last live key");
        assertThat(liveKeyIds()).containsExactly(active);
        assertThat(api.get("/api/v1/me").bearer(adminToken).send().status()).isEqualTo(200);
    }

    @Test
    void retiring_an_unknown_key_is_404() {
        Response response = api.delete("/api/v1/signing-keys/no-such-key")
                .bearer(adminToken)
                .send();

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
    }

    @Test
    void a_tenant_admin_cannot_rotate_or_retire_signing_keys() {
        TenantFixture tenant = newTenant();
        String active = activeKeyId();

        Response rotate = api.post("/api/v1/signing-keys/rotate")
                .bearer(tenant.adminToken())
                .send();
        Response retire = api.delete("/api/v1/signing-keys/" + active)
                .bearer(tenant.adminToken())
                .send();

        assertThat(rotate.status()).isEqualTo(403);
        assertThat(retire.status()).isEqualTo(403);
        assertThat(activeKeyId()).isEqualTo(active);
    }

    @Test
    void discovery_names_the_issuer_and_its_endpoints() {
        Response discovery = api.get("/.well-known/openid-configuration").send();

        assertThat(discovery.status()).as(discovery.toString()).isEqualTo(200);
        JsonNode document = discovery.json();
        assertThat(document.get("issuer").asString()).isEqualTo(ISSUER);
        assertThat(document.get("jwks_uri").asString()).isEqualTo(ISSUER + "/oauth2/jwks");
        assertThat(document.get("token_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/token");
        assertThat(ApiClient.strings(document.get("grant_types_supported"))).containsExactly("client_credentials");
    }

    @Test
    void both_discovery_documents_advertise_only_what_works() {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            Response discovery = api.get(path).send();

            assertThat(discovery.status()).as(path + ": " + discovery).isEqualTo(200);
            JsonNode document = discovery.json();
            assertThat(document.get("issuer").asString()).isEqualTo(ISSUER);
            assertThat(ApiClient.strings(document.get("grant_types_supported")))
                    .as(path)
                    .containsExactly("client_credentials");
            assertThat(ApiClient.strings(document.get("response_types_supported")))
                    .as(path)
                    .isEmpty();
            assertThat(ApiClient.strings(document.get("token_endpoint_auth_methods_supported")))
                    .as(path)
                    .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post");
            assertThat(document.propertyNames())
                    .as(path)
                    .doesNotContain(
                            "authorization_endpoint",
                            "device_authorization_endpoint",
                            "pushed_authorization_request_endpoint",
                            "userinfo_endpoint",
                            "end_session_endpoint",
                            "revocation_endpoint",
                            "introspection_endpoint",
                            "registration_endpoint",
                            "code_challenge_methods_supported");
            assertThat(api.get(document.get("jwks_uri").asString().replace(ISSUER, ""))
                            .send()
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void the_authorization_server_answers_only_on_the_endpoints_it_advertises() {
        for (String path : List.of(
                "/oauth2/authorize?response_type=code&client_id=x",
                "/oauth2/introspect",
                "/oauth2/revoke",
                "/oauth2/device_authorization",
                "/connect/register",
                "/userinfo")) {
            Response anonymous = api.post(path)
                    .body("application/x-www-form-urlencoded", "token=x")
                    .send();
            assertThat(anonymous.status()).as(path + ": " + anonymous).isEqualTo(401);
            assertThat(anonymous.isProblem()).as(path).isTrue();
            Response signedIn = api.post(path)
                    .bearer(adminToken)
                    .body("application/x-www-form-urlencoded", "token=x")
                    .send();
            assertThat(signedIn.status())
                    .as("not an endpoint here, for anyone: " + path + ": " + signedIn)
                    .isIn(404, 405);
            assertThat(signedIn.isProblem()).as(path).isTrue();
        }
    }

    @Test
    void the_jwks_publishes_exactly_the_live_keys_and_no_private_parts() {
        assertThat(api.post("/api/v1/signing-keys/rotate")
                        .bearer(adminToken)
                        .send()
                        .status())
                .isEqualTo(201);

        Response jwks = api.get("/oauth2/jwks").send();

        assertThat(jwks.status()).as(jwks.toString()).isEqualTo(200);
        List<String> published = new ArrayList<>();
        jwks.json().get("keys").forEach(key -> {
            published.add(key.get("kid").asString());
            assertThat(key.get("kty").asString()).isEqualTo("RSA");
            assertThat(key.has("n")).isTrue();
            assertThat(key.has("e")).isTrue();
            assertNoPrivateMembers(key);
        });
        assertThat(published).hasSizeGreaterThanOrEqualTo(2).containsExactlyInAnyOrderElementsOf(liveKeyIds());
        Response listed = api.get("/api/v1/signing-keys").bearer(adminToken).send();
        listed.json().get("keys").forEach(SigningKeyRotationIT::assertNoPrivateMembers);
    }

    private static void assertNoPrivateMembers(JsonNode key) {
        for (String member : PRIVATE_RSA_MEMBERS) {
            assertThat(key.has(member))
                    .as("private member '%s' in %s", member, key)
                    .isFalse();
        }
    }

    private String activeKeyId() {
        Response listed = api.get("/api/v1/signing-keys").bearer(adminToken).send();
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return listed.json().get("activeKeyId").asString();
    }

    private List<String> liveKeyIds() {
        Response listed = api.get("/api/v1/signing-keys").bearer(adminToken).send();
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<String> kids = new ArrayList<>();
        listed.json().get("keys").forEach(key -> kids.add(key.get("kid").asString()));
        return kids;
    }

    private List<String> jwksKeyIds() {
        Response jwks = api.get("/oauth2/jwks").send();
        assertThat(jwks.status()).as(jwks.toString()).isEqualTo(200);
        List<String> kids = new ArrayList<>();
        jwks.json().get("keys").forEach(key -> kids.add(key.get("kid").asString()));
        return kids;
    }
}
