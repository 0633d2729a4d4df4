package io.sextant.identity;

import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.audit.AuditTrail;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.Forbidden;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates, changes and removes users, and checks their passwords. Usernames are unique per tenant. */
@Service
public class UserAccounts {

    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@+-]{1,127}$");
    static final int MIN_PASSWORD_LENGTH = 12;
    /** What bcrypt reads of a password: it refuses to hash a longer one rather than cut it. */
    static final int MAX_PASSWORD_BYTES = 72;
    /**
     * Most accounts one sign-in without a tenant tries the password against: each try costs a
     * password hash, so a name shared by more tenants needs the tenant named.
     */
    static final int MAX_ACCOUNTS_PER_SIGN_IN = 5;

    private final UserAccountRepository repository;
    private final PasswordEncoder passwords;
    private final TransactionTemplate transactions;
    private final AuditTrail audit;
    // Checked against when the username is unknown, so that costs as much as a wrong password.
    private final String unknownUserHash;

    UserAccounts(
            UserAccountRepository repository,
            PasswordEncoder passwords,
            TransactionTemplate transactions,
            AuditTrail audit) {
        this.repository = repository;
        this.passwords = passwords;
        this.transactions = transactions;
        this.audit = audit;
        this.unknownUserHash = passwords.encode(Secrets.random(24));
    }

    /** Creates a user on a caller's behalf, who may grant only roles within its own permissions. */
    @RequiresPermission({"users:manage", "tenants:manage"})
    public UserAccount createBy(
            SextantPrincipal caller, UUID tenantId, String username, String password, List<String> roles) {
        Grants.requireRolesHeldBy(caller, roles);
        return create(tenantId, username, password, roles);
    }

    /** Creates a user in {@code tenantId}; another tenant may have a user of the same name. */
    @RequiresPermission({"users:manage", "tenants:manage"})
    public UserAccount create(UUID tenantId, String username, String password, List<String> roles) {
        if (!USERNAME.matcher(username).matches()) {
            throw new InvalidInput(
                    "username", "must be 2-128 letters, digits or ._@+- starting with a letter or digit");
        }
        if (password.length() < MIN_PASSWORD_LENGTH
                || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new InvalidInput(
                    "password",
                    "must be at least " + MIN_PASSWORD_LENGTH + " characters and at most " + MAX_PASSWORD_BYTES
                            + " bytes in UTF-8 (72 ASCII characters)");
        }
        Roles.requireKnown(roles);
        UserAccount user = new UserAccount(
                Ids.newId(),
                tenantId,
                username,
                List.copyOf(roles),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null);
        String hash = passwords.encode(password);
        // The transaction begins inside the tenant's scope: a platform administrator creates users
        // in tenants other than its own.
        return TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> {
                    if (repository.usernameTaken(tenantId, username)) {
                        throw new Conflict("username '" + username + "' is taken in this tenant");
                    }
                    repository.insert(user, hash);
                    audit.recordChange("user.created", "user", user.id().toString(), null, user);
                    return user;
                }));
    }

    /**
     * Changes a user's roles or disables or enables it, on a caller's behalf: the caller must hold
     * every permission of the user's roles, before and after, and cannot disable itself. The user's
     * tokens carry the change from their next request.
     */
    @RequiresPermission({"users:manage", "tenants:manage"})
    public UserAccount updateBy(
            SextantPrincipal caller, UUID tenantId, UUID id, @Nullable List<String> roles, @Nullable Boolean disabled) {
        return TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> {
                    UserAccount current = requireManageable(caller, tenantId, id);
                    List<String> newRoles = roles == null ? current.roles() : List.copyOf(roles);
                    Grants.requireRolesHeldBy(caller, newRoles);
                    boolean disable = Objects.requireNonNullElse(disabled, current.disabledAt() != null);
                    if (disable && isSelf(caller, id)) {
                        throw new Conflict("you cannot disable yourself");
                    }
                    UserAccount updated = repository
                            .update(tenantId, id, newRoles, disable)
                            .orElseThrow(() -> new NotFound("user", id));
                    if (!updated.equals(current)) {
                        audit.recordChange("user.updated", "user", id.toString(), current, updated);
                    }
                    return updated;
                }));
    }

    /** Deletes a user on a caller's behalf, under the same rules as {@link #updateBy}. */
    @RequiresPermission({"users:manage", "tenants:manage"})
    public void deleteBy(SextantPrincipal caller, UUID tenantId, UUID id) {
        TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> {
                    UserAccount current = requireManageable(caller, tenantId, id);
                    if (isSelf(caller, id)) {
                        throw new Conflict("you cannot delete yourself");
                    }
                    boolean deleted = repository.delete(tenantId, id);
                    if (deleted) {
                        audit.recordChange("user.deleted", "user", id.toString(), current, null);
                    }
                    return deleted;
                }));
    }

    @RequiresPermission({"users:manage", "tenants:manage"})
    public UserAccount get(UUID tenantId, UUID id) {
        return TenantContext.callAs(
                tenantId, () -> repository.find(tenantId, id).orElseThrow(() -> new NotFound("user", id)));
    }

    /**
     * The user whose password this is, or empty: the same answer, and about the same work, for every
     * mistake. Without {@code tenantId} the username is looked up in every tenant and only a password
     * that opens exactly one of its accounts signs in.
     */
    public Optional<UserAccount> authenticate(String username, String password, @Nullable UUID tenantId) {
        List<UserAccountRepository.Credentials> candidates = TenantContext.callAsSystem(() -> tenantId == null
                ? repository.findCredentials(username, MAX_ACCOUNTS_PER_SIGN_IN + 1)
                : repository.findCredentials(tenantId, username).stream().toList());
        if (candidates.isEmpty() || candidates.size() > MAX_ACCOUNTS_PER_SIGN_IN) {
            return refuseUnknown(password);
        }
        List<UserAccount> matches = candidates.stream()
                .filter(candidate -> passwords.matches(password, candidate.passwordHash()))
                .map(UserAccountRepository.Credentials::user)
                .toList();
        return matches.size() == 1 ? Optional.of(matches.getFirst()) : Optional.empty();
    }

    /** Refuses a sign-in after doing the work of a password check, like a wrong password does. */
    Optional<UserAccount> refuseUnknown(String password) {
        passwords.matches(password, unknownUserHash);
        return Optional.empty();
    }

    /** The enabled user a token names, looked up on every request: disabling or deleting ends its tokens. */
    Optional<UserAccount> findEnabled(UUID id) {
        return TenantContext.callAsSystem(() -> repository.findEnabled(id));
    }

    @RequiresPermission({"users:manage", "tenants:manage"})
    public CursorPage<UserAccount> list(UUID tenantId, @Nullable String cursor, int limit) {
        UUID after = Cursors.decodeId(cursor);
        return TenantContext.callAs(
                tenantId,
                () -> CursorPage.fromLookahead(
                        repository.page(tenantId, after, limit + 1), limit, u -> u.id().toString()));
    }

    /** A caller may manage only users whose permissions it holds itself: no demoting one's betters. */
    private UserAccount requireManageable(SextantPrincipal caller, UUID tenantId, UUID id) {
        UserAccount current = repository.find(tenantId, id).orElseThrow(() -> new NotFound("user", id));
        if (!caller.permissions().containsAll(Role.permissionsOf(current.roles()))) {
            throw new Forbidden("user " + id + " holds permissions you do not; you cannot change or delete it");
        }
        return current;
    }

    private static boolean isSelf(SextantPrincipal caller, UUID id) {
        return caller.kind() == SextantPrincipal.Kind.USER && caller.subjectId().equals("user:" + id);
    }
}
