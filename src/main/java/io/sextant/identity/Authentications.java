package io.sextant.identity;

import io.sextant.shared.web.Problems;
import java.util.Optional;

/** Password sign-in: checks the credentials and mints the embedded issuer's token. */
@org.springframework.stereotype.Service
public class Authentications {

    private final UserAccounts users;
    private final TokenIssuer issuer;

    Authentications(UserAccounts users, TokenIssuer issuer) {
        this.users = users;
        this.issuer = issuer;
    }

    public AccessToken signIn(String username, String password) {
        Optional<UserAccount> user = users.authenticate(username, password);
        if (user.isEmpty()) {
            throw Problems.unauthorized("unknown username or wrong password");
        }
        TokenIssuer.IssuedToken token = issuer.issueFor(user.get());
        return new AccessToken(token.accessToken(), "Bearer", token.expiresInSeconds());
    }

    /** An access token in the field names of RFC 6749 section 5.1. */
    public record AccessToken(String access_token, String token_type, long expires_in) {}
}
