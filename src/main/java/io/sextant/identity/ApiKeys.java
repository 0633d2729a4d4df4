package io.sextant.identity;

import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.audit.AuditTrail;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: {@code sxk_<key id>_<secret>}. The key id finds the row; the secret is checked against
 * its SHA-256 digest (a fast hash suits a 190-bit random secret, unlike a password). Every request
 * reads the row, so a revocation takes effect on the next request.
 */
@Service
public class ApiKeys {

    static final String PREFIX = "sxk_";
    private static final Pattern TOKEN = Pattern.compile("^sxk_([A-Za-z0-9]{12})_([A-Za-z0-9]{32})$");

    private final ApiKeyRepository repository;
    private final AuditTrail audit;
    private final Clock clock;
    private final PrincipalPolicies policies;

    ApiKeys(ApiKeyRepository repository, AuditTrail audit, Clock clock, PrincipalPolicies policies) {
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
        this.policies = policies;
    }

    public static boolean looksLikeApiKey(String token) {
        return token.startsWith(PREFIX);
    }

    /** Creates a key; the returned token is shown once. */
    @RequiresPermission("api-keys:manage")
    @Transactional
    public Created create(
            SextantPrincipal caller, String name, List<String> permissionNames, @Nullable Instant expiresAt) {
        if (name.isBlank() || name.length() > 200) {
            throw new InvalidInput("name", "must be 1-200 characters");
        }
        if (permissionNames.isEmpty()) {
            throw new InvalidInput("permissions", "must name at least one permission");
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String name1 : permissionNames) {
            permissions.add(Permission.fromAuthority(name1)
                    .orElseThrow(() -> new InvalidInput("permissions", "'" + name1 + "' is not a permission")));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidInput("expiresAt", "must be in the future");
        }
        Grants.requireHeldBy(caller, permissions);
        String keyId = Secrets.random(12);
        String secret = Secrets.random(32);
        ApiKey key = new ApiKey(
                Ids.newId(), caller.tenantId(), keyId, name, permissions, caller.subjectId(), now, expiresAt, null);
        repository.insert(key, Secrets.sha256(secret));
        audit.recordChange("api-key.created", "api-key", key.id().toString(), null, representation(key));
        return new Created(key, PREFIX + keyId + "_" + secret);
    }

    @RequiresPermission("api-keys:manage")
    public CursorPage<ApiKey> list(UUID tenantId, @Nullable String cursor, int limit) {
        UUID after = Cursors.decodeId(cursor);
        return CursorPage.fromLookahead(repository.page(tenantId, after, limit + 1), limit, k -> k.id().toString());
    }

    @RequiresPermission("api-keys:manage")
    public ApiKey get(UUID tenantId, UUID id) {
        return repository.find(tenantId, id).orElseThrow(() -> new NotFound("API key", id));
    }

    /** Revokes the key; revoking a revoked key changes nothing. */
    @RequiresPermission("api-keys:manage")
    @Transactional
    public void revoke(UUID tenantId, UUID id) {
        ApiKey before = get(tenantId, id);
        if (repository.revoke(tenantId, id)) {
            audit.recordChange(
                    "api-key.revoked",
                    "api-key",
                    id.toString(),
                    representation(before),
                    representation(get(tenantId, id)));
        }
    }

    /** The key as the API shows it, for the audit log: its permissions by name, never its secret. */
    static Map<String, @Nullable Object> representation(ApiKey key) {
        Map<String, @Nullable Object> view = new LinkedHashMap<>();
        view.put("id", key.id());
        view.put("keyId", key.keyId());
        view.put("name", key.name());
        view.put(
                "permissions",
                key.permissions().stream().map(Permission::authority).sorted().toList());
        view.put("createdBy", key.createdBy());
        view.put("createdAt", key.createdAt());
        view.put("expiresAt", key.expiresAt());
        view.put("revokedAt", key.revokedAt());
        return view;
    }

    /** The principal a presented key stands for; {@code Unauthorized} for anything but a valid, live key. */
    public SextantPrincipal authenticate(String token) {
        Matcher matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            throw new InvalidBearerTokenException("malformed API key");
        }
        var stored = TenantContext.callAsSystem(() -> repository.findByKeyId(matcher.group(1)))
                .orElseThrow(() -> new InvalidBearerTokenException("unknown API key"));
        if (!MessageDigest.isEqual(stored.secretHash(), Secrets.sha256(matcher.group(2)))) {
            throw new InvalidBearerTokenException("unknown API key");
        }
        ApiKey key = stored.key();
        if (key.revokedAt() != null) {
            throw new InvalidBearerTokenException("API key has been revoked");
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(clock.instant())) {
            throw new InvalidBearerTokenException("API key has expired");
        }
        return policies.keyPrincipal("api-key:" + key.keyId(), key.name(), key.tenantId(), key.permissions());
    }

    /** A new key and its one-time token. */
    public record Created(ApiKey key, String token) {}
}
