package io.sextant.identity;

import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.audit.AuditTrail;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Service accounts: clients of the embedded issuer's client-credentials grant. */
@Service
public class ServiceAccounts {

    private final ServiceAccountRepository repository;
    private final PasswordEncoder passwords;
    private final AuditTrail audit;

    ServiceAccounts(ServiceAccountRepository repository, PasswordEncoder passwords, AuditTrail audit) {
        this.repository = repository;
        this.passwords = passwords;
        this.audit = audit;
    }

    /** Creates an account; the returned secret is shown once and stored only as a hash. */
    @RequiresPermission("service-accounts:manage")
    @Transactional
    public Created create(SextantPrincipal caller, String name, List<String> roles) {
        if (name.isBlank() || name.length() > 200) {
            throw new InvalidInput("name", "must be 1-200 characters");
        }
        Grants.requireRolesHeldBy(caller, roles);
        String clientId = "sxs_" + Secrets.random(16);
        String secret = Secrets.random(40);
        ServiceAccount account = new ServiceAccount(
                Ids.newId(),
                caller.tenantId(),
                clientId,
                name,
                List.copyOf(roles),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null);
        repository.insert(account, passwords.encode(secret));
        audit.recordChange(
                "service-account.created", "service-account", account.id().toString(), null, account);
        return new Created(account, secret);
    }

    @RequiresPermission("service-accounts:manage")
    public CursorPage<ServiceAccount> list(UUID tenantId, @Nullable String cursor, int limit) {
        UUID after = Cursors.decodeId(cursor);
        return CursorPage.fromLookahead(repository.page(tenantId, after, limit + 1), limit, a -> a.id().toString());
    }

    @RequiresPermission("service-accounts:manage")
    public ServiceAccount get(UUID tenantId, UUID id) {
        return repository.find(tenantId, id).orElseThrow(() -> new NotFound("service account", id));
    }

    /** Revokes the account: its client can obtain no new token from now on. */
    @RequiresPermission("service-accounts:manage")
    @Transactional
    public void revoke(UUID tenantId, UUID id) {
        ServiceAccount before = get(tenantId, id);
        if (repository.revoke(tenantId, id)) {
            audit.recordChange("service-account.revoked", "service-account", id.toString(), before, get(tenantId, id));
        }
    }

    Optional<ServiceAccountRepository.Credentials> findActive(String clientId) {
        return TenantContext.callAsSystem(() -> repository.findActiveByClientId(clientId));
    }

    /** A new account and its one-time secret. */
    public record Created(ServiceAccount account, String clientSecret) {}
}
