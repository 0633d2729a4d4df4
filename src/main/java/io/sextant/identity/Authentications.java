package io.sextant.identity;

import io.sextant.shared.problem.Unauthorized;
import io.sextant.tenancy.Tenant;
import io.sextant.tenancy.Tenants;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Password sign-in: checks the credentials and mints the embedded issuer's token. Repeated failures
 * lock the username and the client address out for a while ({@link SignInThrottle}).
 */
@Service
public class Authentications {

    /** One answer for every failure, so that none tells which usernames exist, or where. */
    static final String REFUSED = "unknown username or wrong password"
            + " (if your username exists in several tenants, name yours in 'tenant')";

    private final UserAccounts users;
    private final Tenants tenants;
    private final TokenIssuer issuer;
    private final SignInThrottle throttle;

    Authentications(UserAccounts users, Tenants tenants, TokenIssuer issuer, SignInThrottle throttle) {
        this.users = users;
        this.tenants = tenants;
        this.issuer = issuer;
        this.throttle = throttle;
    }

    /**
     * Signs a user in.
     *
     * @param tenantSlug the user's tenant; without it the username is looked up in every tenant and
     *     the password decides between accounts that share it
     * @param address the client's address, for the throttle
     */
    public AccessToken signIn(String username, String password, @Nullable String tenantSlug, String address) {
        String name = "user:" + username;
        throttle.check(name, address);
        Optional<UserAccount> user;
        if (tenantSlug == null || tenantSlug.isBlank()) {
            user = users.authenticate(username, password, null);
        } else {
            UUID tenantId = tenants.findBySlug(tenantSlug).map(Tenant::id).orElse(null);
            user = tenantId == null ? users.refuseUnknown(password) : users.authenticate(username, password, tenantId);
        }
        if (user.isEmpty()) {
            throttle.failed(name, address);
            throw new Unauthorized(REFUSED);
        }
        throttle.succeeded(name);
        TokenIssuer.IssuedToken token = issuer.issueFor(user.get());
        return new AccessToken(token.accessToken(), "Bearer", token.expiresInSeconds());
    }

    /** An access token in the field names of RFC 6749 section 5.1. */
    public record AccessToken(String access_token, String token_type, long expires_in) {}
}
