package io.sextant.mqtt;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * MQTT ingest: off unless {@code url} names a broker.
 *
 * @param url the broker, {@code tcp://host:1883} or {@code ssl://host:8883} ({@code SEXTANT_MQTT_URL})
 * @param username the broker user Sextant connects as ({@code SEXTANT_MQTT_USERNAME})
 * @param password its password ({@code SEXTANT_MQTT_PASSWORD})
 * @param clientId the client id, which names Sextant's persistent session at the broker: unique per
 *     ingest node ({@code SEXTANT_MQTT_CLIENT_ID})
 * @param qos the quality of service of the subscriptions, 1 or 2 ({@code SEXTANT_MQTT_QOS})
 * @param maxMessageSize larger messages are dropped unread ({@code SEXTANT_MQTT_MAX_MESSAGE_SIZE})
 * @param maxBatchMessages most messages stored in one ingest call ({@code
 *     SEXTANT_MQTT_MAX_BATCH_MESSAGES})
 * @param keepAlive the MQTT keep-alive interval ({@code SEXTANT_MQTT_KEEP_ALIVE})
 * @param sources what to subscribe to and as whom ({@code SEXTANT_MQTT_SOURCES_0_TOPIC}, {@code
 *     SEXTANT_MQTT_SOURCES_0_API_KEY}, {@code SEXTANT_MQTT_SOURCES_0_FORMAT}, {@code
 *     SEXTANT_MQTT_SOURCES_0_ASSET_LEVEL}, then {@code _1_}, …)
 */
@ConfigurationProperties("sextant.mqtt")
public record MqttProperties(
        @Nullable String url,
        @Nullable String username,
        @Nullable String password,
        @DefaultValue("sextant-ingest") String clientId,
        @DefaultValue("1") int qos,
        @DefaultValue("1MB") DataSize maxMessageSize,
        @DefaultValue("500") int maxBatchMessages,
        @DefaultValue("30s") Duration keepAlive,
        @DefaultValue List<Source> sources) {

    public MqttProperties {
        if (qos < 1 || qos > 2) {
            throw new IllegalArgumentException(
                    "sextant.mqtt.qos must be 1 or 2 (a message must not be lost before it is stored), was " + qos);
        }
        if (maxBatchMessages < 1) {
            throw new IllegalArgumentException("sextant.mqtt.max-batch-messages must be at least 1");
        }
        // (The fields are not assigned yet: the parameters are read.)
        if (url != null && !url.isBlank() && sources.isEmpty()) {
            throw new IllegalArgumentException(
                    "sextant.mqtt.url is set but no source is: set SEXTANT_MQTT_SOURCES_0_TOPIC"
                            + " and SEXTANT_MQTT_SOURCES_0_API_KEY");
        }
        for (int i = 0; i < sources.size(); i++) {
            sources.get(i).check(i);
        }
    }

    public boolean enabled() {
        return url != null && !url.isBlank();
    }

    /** How a source's messages are written. */
    public enum Format {
        /** Sextant's own: a position object, a JSON array of them, NDJSON, a GeoJSON Feature or FeatureCollection. */
        POSITIONS,
        /** The OwnTracks apps in MQTT mode: the device is the topic's last two levels, {@code <user>/<device>}. */
        OWNTRACKS
    }

    /**
     * One subscription.
     *
     * @param topic the topic filter, MQTT wildcards allowed (a shared subscription {@code
     *     $share/<group>/<filter>} spreads the messages over several ingest nodes)
     * @param apiKey the API key whose authority the positions are written with: its tenant, its
     *     {@code positions:write} and the reach of its grants
     * @param format how a message is read
     * @param assetLevel for {@code positions}: the topic level (1 is the first) that holds the asset's
     *     external id of a position that names no asset itself; none by default
     */
    public record Source(
            @Nullable String topic,
            @Nullable String apiKey,
            @DefaultValue("positions") Format format,
            @Nullable Integer assetLevel) {

        void check(int index) {
            String name = "sextant.mqtt.sources[" + index + "]";
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException(name + ".topic is required");
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException(
                        name + ".api-key is required: the positions are written with its" + " authority");
            }
            TopicFilter.parse(topic);
            if (assetLevel != null
                    && (assetLevel < 1 || assetLevel > TopicFilter.parse(topic).levelCount())) {
                throw new IllegalArgumentException(name + ".asset-level must name a level of the topic filter (1 to "
                        + TopicFilter.parse(topic).levelCount() + "), was " + assetLevel);
            }
        }
    }
}
