/**
 * MQTT ingest: Sextant as a client of the operator's broker, subscribed to the topics each
 * configured source names, storing what arrives through position ingest with the authority of the
 * source's API key, and acknowledging a message to the broker only once its positions are durable.
 */
@ApplicationModule(
        displayName = "MQTT ingest",
        allowedDependencies = {"shared", "tracking", "tracking :: protocol", "identity"})
@NullMarked
package io.sextant.mqtt;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
