package io.sextant.mqtt;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code mqtt} in {@code /actuator/health} where a broker is configured: up while connected to it.
 * Not part of readiness: HTTP ingest and queries go on without the broker, and the broker keeps
 * what is published meanwhile.
 */
@Component("mqtt")
@ConditionalOnExpression("'${sextant.mqtt.url:}' != ''")
class MqttHealthIndicator implements HealthIndicator {

    private final MqttIngest ingest;

    MqttHealthIndicator(MqttIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public Health health() {
        if (!ingest.enabled()) {
            return Health.unknown()
                    .withDetail("reason", "MQTT ingest is off on this node")
                    .build();
        }
        return ingest.connected() ? Health.up().build() : Health.down().build();
    }
}
