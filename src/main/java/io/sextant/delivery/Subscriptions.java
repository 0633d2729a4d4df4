package io.sextant.delivery;

import io.sextant.delivery.webhook.WebhookSignature;
import io.sextant.identity.Permission;
import io.sextant.identity.SextantPrincipal;
import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.audit.AuditTrail;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.problem.PreconditionFailed;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, changes and removes the current tenant's subscriptions. Each one is stored with its owner
 * — the caller who last created or changed it, with its token's groups and the permissions it had —
 * because events are delivered as that owner. Another tenant's subscription does not exist as far
 * as callers can tell. Every operation requires {@code subscriptions:manage}.
 */
@Service
@Transactional
@RequiresPermission("subscriptions:manage")
public class Subscriptions {

    public static final int MAX_NAME_LENGTH = 200;

    private final SubscriptionRepository repository;
    private final DeliveryChannels channels;
    private final DeliveryProperties properties;
    private final AuditTrail audit;
    private final Clock clock;

    Subscriptions(
            SubscriptionRepository repository,
            DeliveryChannels channels,
            DeliveryProperties properties,
            AuditTrail audit,
            Clock clock) {
        this.repository = repository;
        this.channels = channels;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    /** Creates a subscription; a webhook's signing secret is in the result, and nowhere else later. */
    public WithSecret create(SubscriptionDraft draft) {
        check(draft);
        UUID tenantId = TenantContext.require();
        repository.lockTenant(tenantId);
        int existing = repository.count(tenantId);
        if (existing >= properties.maxSubscriptionsPerTenant()) {
            throw new Conflict("the tenant has " + existing + " subscriptions, the most allowed"
                    + " (SEXTANT_DELIVERY_MAX_SUBSCRIPTIONS_PER_TENANT); delete one first");
        }
        Instant now = now();
        Subscription subscription = new Subscription(
                Ids.newId(),
                tenantId,
                draft.name(),
                draft.filter(),
                draft.enabled(),
                draft.channel(),
                draft.ordering(),
                caller(),
                0,
                null,
                1,
                now,
                now);
        String secret = draft.channel() instanceof ChannelSpec.Webhook ? WebhookSignature.newSecret() : null;
        repository.insert(subscription, secret);
        audit.recordChange(
                "subscription.created", "subscription", subscription.id().toString(), null, subscription);
        return new WithSecret(subscription, secret);
    }

    @Transactional(readOnly = true)
    public Subscription get(UUID id) {
        return repository.find(TenantContext.require(), id).orElseThrow(() -> new NotFound("subscription", id));
    }

    @Transactional(readOnly = true)
    public CursorPage<Subscription> list(@Nullable String cursor, int limit) {
        UUID after = Cursors.decodeId(cursor);
        List<Subscription> rows = repository.page(TenantContext.require(), after, limit + 1);
        return CursorPage.fromLookahead(rows, limit, s -> s.id().toString());
    }

    /**
     * Changes the fields {@code patch} sets if the subscription is at one of {@code expected}; the
     * caller becomes its owner. Enabling it again clears its dead-letter count.
     */
    public Subscription update(UUID id, ExpectedVersions expected, SubscriptionPatch patch) {
        Subscription current = get(id);
        if (!expected.admits(current.version())) {
            throw stale(current);
        }
        ChannelSpec channel = Objects.requireNonNullElse(patch.channel(), current.channel());
        if (!channel.type().equals(current.channel().type())) {
            throw new InvalidInput(
                    "channel.type",
                    "cannot change from " + current.channel().type() + " to " + channel.type()
                            + "; create a new subscription instead");
        }
        SubscriptionDraft draft = new SubscriptionDraft(
                Objects.requireNonNullElse(patch.name(), current.name()),
                Objects.requireNonNullElse(patch.filter(), current.filter()),
                Objects.requireNonNullElse(patch.enabled(), current.enabled()),
                channel,
                Objects.requireNonNullElse(patch.ordering(), current.ordering()));
        check(draft);
        boolean reenabled = draft.enabled() && !current.enabled();
        Subscription updated = new Subscription(
                current.id(),
                current.tenantId(),
                draft.name(),
                draft.filter(),
                draft.enabled(),
                draft.channel(),
                draft.ordering(),
                caller(),
                reenabled ? 0 : current.consecutiveDeadLetters(),
                draft.enabled() ? null : current.disabledReason(),
                current.version() + 1,
                current.createdAt(),
                now());
        if (!repository.update(updated, current.version())) {
            throw stale(get(id));
        }
        audit.recordChange("subscription.updated", "subscription", id.toString(), current, updated);
        return updated;
    }

    /** Deletes the subscription and its delivery log; with {@code expected}, only at one of those versions. */
    public void delete(UUID id, @Nullable ExpectedVersions expected) {
        Subscription current = get(id);
        if (expected != null && !expected.admits(current.version())) {
            throw stale(current);
        }
        Long version = expected == null ? null : current.version();
        if (!repository.delete(TenantContext.require(), id, version)) {
            throw stale(get(id));
        }
        audit.recordChange("subscription.deleted", "subscription", id.toString(), current, null);
    }

    /**
     * Replaces a webhook subscription's signing secret and returns the new one. Attempts from then
     * on are signed with it; receivers should accept both while they switch over.
     */
    public String rotateSecret(UUID id) {
        Subscription subscription = get(id);
        if (!(subscription.channel() instanceof ChannelSpec.Webhook)) {
            throw new Conflict("subscription " + id + " delivers to a "
                    + subscription.channel().type() + " channel, which has no signing secret");
        }
        String secret = WebhookSignature.newSecret();
        repository.replaceSecret(subscription.tenantId(), id, secret, now());
        audit.recordChange("subscription.secret-rotated", "subscription", id.toString(), subscription, get(id));
        return secret;
    }

    private void check(SubscriptionDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        if (draft.name().isBlank() || draft.name().length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "must be 1-" + MAX_NAME_LENGTH + " characters, not all blank"));
        }
        errors.addAll(draft.filter().problems());
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        channels.get(draft.channel().type()).check(draft.channel());
    }

    /**
     * The caller as a subscription owner: its subject and, for Sextant principals, the groups its
     * token carries (so that grants to them count for deliveries as for its own requests) and its
     * permissions.
     */
    private static Subscription.Owner caller() {
        TenantPrincipal principal =
                TenantContext.principal().orElseThrow(() -> new IllegalStateException("no caller to own it"));
        if (!(principal instanceof SextantPrincipal sextant)) {
            return new Subscription.Owner(principal.subjectId(), Set.of(), Set.of());
        }
        Set<String> permissions =
                sextant.permissions().stream().map(Permission::authority).collect(Collectors.toSet());
        return new Subscription.Owner(sextant.subjectId(), sextant.groups(), permissions);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static PreconditionFailed stale(Subscription current) {
        return new PreconditionFailed("subscription " + current.id() + " has changed: it is at version "
                + current.version() + " (ETag \"" + current.version() + "\")");
    }

    /**
     * A subscription with its webhook signing secret, which is shown only here.
     *
     * @param secret {@code whsec_…}, null for channels that do not sign
     */
    public record WithSecret(
            Subscription subscription, @Nullable String secret) {}
}
