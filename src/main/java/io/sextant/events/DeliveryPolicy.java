package io.sextant.events;

import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether a subscriber may receive an event, checked for every event
 * at delivery time on every channel (webhook, Redis Stream, live stream), not only when the
 * subscription was made. Today that is the tenant and the {@code events:read} permission;
 * fine-grained policies (regions, time windows) plug in here.
 */
@Component
public class DeliveryPolicy {

    static final String EVENTS_READ = "events:read";

    public boolean permits(Subscriber subscriber, Event event) {
        return subscriber.tenantId().equals(event.tenantId())
                && subscriber.permissions().contains(EVENTS_READ);
    }

    /**
     * Who receives: a subscription's owner as recorded when it was made, or a live stream's caller.
     *
     * @param subject the principal's subject ({@code user:…}, {@code service:…})
     * @param permissions the principal's permission authorities
     */
    public record Subscriber(UUID tenantId, String subject, Set<String> permissions) {}
}
