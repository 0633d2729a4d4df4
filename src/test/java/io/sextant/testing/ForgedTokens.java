package io.sextant.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sextant.secrets.SecretCipher;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tokens made outside the service, for proving what the resource server accepts and refuses: signed
 * with the embedded issuer's real key (read from its table and opened with the secrets key, as an
 * attacker holding both would), with a stranger's key, or not at all. A correctly forged token must
 * be accepted, so that a refusal of a subtly wrong one is for the right reason.
 */
public final class ForgedTokens {

    /** The audience the embedded issuer puts in its tokens and the API requires. */
    public static final String AUDIENCE = "sextant-api";

    private final JdbcClient jdbc;
    private final SecretCipher cipher;

    public ForgedTokens(JdbcClient jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** The embedded issuer's signing key (the newest live one), private half included. */
    public RSAKey issuerKey() {
        return jdbc.sql("""
                        select kid, private_key, public_key from signing_key
                        where retired_at is null order by created_at desc, kid desc limit 1""")
                .query((rs, row) -> rsaKey(
                        rs.getString("kid"),
                        cipher.open(rs.getBytes("private_key"), "signing_key/" + rs.getString("kid")),
                        rs.getBytes("public_key")))
                .single();
    }

    /**
     * The claims of a valid embedded-issuer token of the user {@code userId} in {@code tenantId}:
     * right issuer and audience, issued now, valid for ten minutes. The user must exist: the service
     * reads its roles from its row, whatever the token says. Adjust a copy to forge an invalid one.
     */
    public static JWTClaimsSet.Builder userClaims(String tenantId, String userId) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(SextantIT.ISSUER)
                .audience(AUDIENCE)
                .subject(userId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .jwtID(UUID.randomUUID().toString())
                .claim("tenant_id", tenantId)
                .claim("roles", List.of("viewer"))
                .claim("sxt_kind", "user")
                .claim("name", "forged-user");
    }

    /** Signed with the embedded issuer's real key, under its key id: indistinguishable from a real token. */
    public String signedByIssuer(JWTClaimsSet claims) {
        RSAKey key = issuerKey();
        return sign(claims, key, key.getKeyID());
    }

    /** Signed with {@code key} (RS256), the header naming {@code kid}, whichever key that really is. */
    public static String sign(JWTClaimsSet claims, RSAKey key, @Nullable String kid) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 with {@code secret} as the HMAC key (the classic algorithm-confusion forgery). */
    public static String signHmac(JWTClaimsSet claims, byte[] secret, String kid) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured JWT ({@code "alg": "none"}, empty signature). */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** A fresh RSA key nobody trusts. */
    public static RSAKey strangerKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("stranger").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code kid} in a token's header, or null. */
    public static String keyIdOf(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a signed JWT: " + token, e);
        }
    }

    /** The claims of a token, unverified. */
    public static JWTClaimsSet claimsOf(String token) {
        try {
            return JWTParser.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWT: " + token, e);
        }
    }

    private static RSAKey rsaKey(String kid, byte[] privateKey, byte[] publicKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            var publicHalf = (RSAPublicKey) factory.generatePublic(new X509EncodedKeySpec(publicKey));
            var privateHalf = (RSAPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(privateKey));
            return new RSAKey.Builder(publicHalf)
                    .privateKey(privateHalf)
                    .keyID(kid)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key " + kid + " cannot be decoded", e);
        }
    }
}
