/**
 * Delivery: subscriptions to the event log and the durable delivery of their events — signed
 * webhooks and Redis Streams — with retries, dead letter, auto-disable, a delivery log and replay.
 */
@ApplicationModule(
        displayName = "Delivery",
        allowedDependencies = {"shared", "events", "jobs", "identity", "secrets"})
@NullMarked
package io.sextant.delivery;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
