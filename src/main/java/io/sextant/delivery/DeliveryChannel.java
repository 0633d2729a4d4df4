package io.sextant.delivery;

import io.sextant.events.Event;
import org.jspecify.annotations.Nullable;

/**
 * One kind of destination (webhook, Redis stream): an extension point with one implementation per
 * {@link ChannelSpec#type()}. A channel checks a configuration before it is stored and carries one
 * event per call; retries, ordering and the delivery record are the caller's.
 */
public interface DeliveryChannel {

    /** The {@link ChannelSpec#type()} this channel serves. */
    String type();

    /**
     * Refuses, with {@code InvalidInput} naming the field, a configuration this channel cannot serve here
     * (a webhook target in a forbidden network, a stream when Redis is not configured).
     */
    void check(ChannelSpec spec);

    /**
     * Makes one attempt to deliver {@code event}. Never throws for a failed attempt: the outcome says
     * what happened.
     *
     * @param secret the subscription's signing secret, for channels that sign
     */
    AttemptOutcome deliver(Event event, ChannelSpec spec, @Nullable String secret);
}
