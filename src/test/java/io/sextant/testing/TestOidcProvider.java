package io.sextant.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in external OpenID Connect provider (the role Keycloak or Auth0 play in production):
 * serves a discovery document and a JWKS on loopback and signs tokens with its own key.
 */
public final class TestOidcProvider {

    private static TestOidcProvider instance;

    private final HttpServer server;
    private final RSAKey key;
    private final String issuer;

    private TestOidcProvider() {
        try {
            key = new RSAKeyGenerator(2048).keyID("external-key-1").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
            String discovery = ApiClient.JSON.writeValueAsString(Map.of(
                    "issuer", issuer,
                    "jwks_uri", issuer + "/jwks",
                    "subject_types_supported", new String[] {"public"},
                    "id_token_signing_alg_values_supported", new String[] {"RS256"},
                    "response_types_supported", new String[] {"code"}));
            String jwks = new JWKSet(key.toPublicJWK()).toString();
            server.createContext(
                    "/realms/test/.well-known/openid-configuration", exchange -> respond(exchange, discovery));
            server.createContext("/realms/test/jwks", exchange -> respond(exchange, jwks));
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized TestOidcProvider get() {
        if (instance == null) {
            instance = new TestOidcProvider();
        }
        return instance;
    }

    public String issuer() {
        return issuer;
    }

    /** A token signed by this provider's key. */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
