/**
 * Events: the tenant's event log (a transactional outbox of CloudEvents), the relay that hands
 * committed events to durable consumers in log order, the event query API and live streams.
 */
@ApplicationModule(
        displayName = "Events",
        allowedDependencies = {"shared", "identity", "asset"})
@NullMarked
package io.sextant.events;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
