package io.sextant.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/**
 * Mints the embedded issuer's access tokens for users who sign in with a password. Tokens carry the
 * same claims as the client-credentials tokens of the OAuth2 token endpoint ({@link
 * TokenClaims}), so the resource server treats both alike.
 */
@Component
class TokenIssuer {

    private final JwtEncoder encoder;
    private final SigningKeys keys;
    private final IdentityProperties properties;
    private final Clock clock;

    TokenIssuer(JwtEncoder encoder, SigningKeys keys, IdentityProperties properties, Clock clock) {
        this.encoder = encoder;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    IssuedToken issueFor(UserAccount user) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.tokenTtl());
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(properties.issuer())
                .subject(user.id().toString())
                .audience(List.of(properties.audience()))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(expiresAt)
                .id(UUID.randomUUID().toString())
                .claim(TokenClaims.TENANT, user.tenantId().toString())
                .claim(TokenClaims.ROLES, user.roles())
                .claim(TokenClaims.KIND, TokenClaims.KIND_USER)
                .claim(TokenClaims.NAME, user.username())
                .build();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256)
                .keyId(keys.activeKeyId())
                .build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        return new IssuedToken(token, properties.tokenTtl().toSeconds());
    }

    record IssuedToken(String accessToken, long expiresInSeconds) {}
}
