package io.sextant.events;

import io.sextant.identity.PrincipalPolicies;
import io.sextant.shared.access.AccessPolicy;
import io.sextant.shared.access.Visibility;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether a subscriber may receive an event, checked for every event
 * at send time on every channel (webhook, Redis Stream, live stream), not only when the
 * subscription or the stream was made: the tenant, the {@code events:read} permission the
 * subscriber had when it subscribed, and the subscriber's <em>current</em> policy ({@link
 * PrincipalPolicies#policyOfSubject}, cached at most a couple of seconds and emptied at once on the
 * node that changes a grant) — some grant in force now holds {@code events:read} and reaches the
 * event ({@link EventVisibility}). A revoked or expired grant, or a disabled subject, stops the
 * flow from the next event on.
 */
@Component
public class DeliveryPolicy {

    static final String EVENTS_READ = "events:read";

    private final PrincipalPolicies principals;
    private final EventVisibility visibility;
    private final Clock clock;

    DeliveryPolicy(PrincipalPolicies principals, EventVisibility visibility, Clock clock) {
        this.principals = principals;
        this.visibility = visibility;
        this.clock = clock;
    }

    /** Whether {@code subscriber} may receive {@code event} now. */
    public boolean permits(Subscriber subscriber, Event event) {
        return now(subscriber).permits(event);
    }

    /**
     * The subscriber's policy resolved now, to decide on one event or one batch of them; the
     * caller's tenant context must be the subscriber's (asset facts are read in it).
     */
    public Decision now(Subscriber subscriber) {
        Instant now = clock.instant();
        Visibility reach = Visibility.NONE;
        if (subscriber.permissions().contains(EVENTS_READ)) {
            Optional<AccessPolicy> policy =
                    principals.policyOfSubject(subscriber.tenantId(), subscriber.subject(), subscriber.groups());
            if (policy.isPresent()) {
                reach = policy.get().visibility(EVENTS_READ, now);
            }
        }
        return new Decision(subscriber, reach, now);
    }

    /** A subscriber's reach over events at one instant. */
    public final class Decision {
        private final Subscriber subscriber;
        private final Visibility reach;
        private final Instant now;

        private Decision(Subscriber subscriber, Visibility reach, Instant now) {
            this.subscriber = subscriber;
            this.reach = reach;
            this.now = now;
        }

        /** Whether no grant in force holds {@code events:read} (or the subject is gone): nothing reaches. */
        public boolean readsNothing() {
            return reach instanceof Visibility.None;
        }

        public boolean permits(Event event) {
            return subscriber.tenantId().equals(event.tenantId()) && visibility.reaches(reach, event, now);
        }
    }

    /**
     * Who receives: a subscription's owner as recorded when it was made, or a live stream's caller.
     *
     * @param subject the principal's subject ({@code user:…}, {@code service:…})
     * @param groups the groups its token named (external subjects' grants to {@code group:…} and
     *     their roles follow from them); empty when unknown
     * @param permissions the principal's permission authorities when it subscribed
     */
    public record Subscriber(UUID tenantId, String subject, Set<String> groups, Set<String> permissions) {

        public Subscriber {
            groups = Set.copyOf(groups);
            permissions = Set.copyOf(permissions);
        }
    }
}
