package io.sextant.identity;

import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import io.sextant.shared.web.Problems;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Creates users and checks their passwords. */
@Service
public class UserAccounts {

    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@+-]{1,127}$");
    static final int MIN_PASSWORD_LENGTH = 12;

    private final UserAccountRepository repository;
    private final PasswordEncoder passwords;
    // Checked against when the username is unknown, so that costs as much as a wrong password.
    private final String unknownUserHash;

    UserAccounts(UserAccountRepository repository, PasswordEncoder passwords) {
        this.repository = repository;
        this.passwords = passwords;
        this.unknownUserHash = passwords.encode(Secrets.random(24));
    }

    /** Creates a user on a caller's behalf, who may grant only roles within its own permissions. */
    public UserAccount createBy(
            SextantPrincipal caller, UUID tenantId, String username, String password, List<String> roles) {
        Grants.requireRolesHeldBy(caller, roles);
        return create(tenantId, username, password, roles);
    }

    /** Creates a user in {@code tenantId}; usernames are unique across the installation. */
    public UserAccount create(UUID tenantId, String username, String password, List<String> roles) {
        if (!USERNAME.matcher(username).matches()) {
            throw Problems.invalid(
                    "username", "must be 2-128 letters, digits or ._@+- starting with a letter or digit");
        }
        if (password.length() < MIN_PASSWORD_LENGTH || password.length() > 256) {
            throw Problems.invalid("password", "must be " + MIN_PASSWORD_LENGTH + "-256 characters");
        }
        Roles.requireKnown(roles);
        UserAccount user = new UserAccount(
                Ids.newId(),
                tenantId,
                username,
                List.copyOf(roles),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        String hash = passwords.encode(password);
        return TenantContext.callAs(tenantId, () -> {
            if (TenantContext.callAsSystem(() -> repository.usernameTaken(username))) {
                throw Problems.conflict("username '" + username + "' is taken");
            }
            repository.insert(user, hash);
            return user;
        });
    }

    /** The user whose password this is, or empty: same answer, and same work, for either mistake. */
    public Optional<UserAccount> authenticate(String username, String password) {
        var credentials = TenantContext.callAsSystem(() -> repository.findCredentials(username));
        if (credentials.isEmpty()) {
            passwords.matches(password, unknownUserHash);
            return Optional.empty();
        }
        return passwords.matches(password, credentials.get().passwordHash())
                ? Optional.of(credentials.get().user())
                : Optional.empty();
    }

    public CursorPage<UserAccount> list(UUID tenantId, @Nullable String cursor, int limit) {
        UUID after = Cursors.decodeId(cursor);
        return TenantContext.callAs(
                tenantId,
                () -> CursorPage.fromLookahead(
                        repository.page(tenantId, after, limit + 1), limit, u -> u.id().toString()));
    }
}
