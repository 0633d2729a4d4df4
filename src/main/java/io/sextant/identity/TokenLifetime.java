package io.sextant.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Every accepted token must say when it expires ({@code exp}), and not too late: at most the
 * maximum lifetime after it was issued ({@code iat}) and after now (clock skew allowed), so a token
 * that leaked cannot be used for long whatever its issuer wrote in it.
 */
final class TokenLifetime implements OAuth2TokenValidator<Jwt> {

    private final Duration max;
    private final Duration skew;
    private final Clock clock;

    TokenLifetime(Duration max, Duration skew, Clock clock) {
        this.max = max;
        this.skew = skew;
        this.clock = clock;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        Instant expiresAt = token.getExpiresAt();
        if (expiresAt == null) {
            return refused("the token has no expiry (exp); tokens must expire");
        }
        Instant issuedAt = token.getIssuedAt();
        if (issuedAt != null && Duration.between(issuedAt, expiresAt).compareTo(max) > 0) {
            return refused("the token's lifetime from iat to exp exceeds the maximum of " + max
                    + " (SEXTANT_AUTH_MAX_TOKEN_LIFETIME)");
        }
        if (Duration.between(clock.instant(), expiresAt).compareTo(max.plus(skew)) > 0) {
            return refused("the token expires further ahead than the maximum lifetime of " + max
                    + " (SEXTANT_AUTH_MAX_TOKEN_LIFETIME)");
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult refused(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(
                OAuth2ErrorCodes.INVALID_TOKEN, description, "https://tools.ietf.org/html/rfc6750#section-3.1"));
    }
}
