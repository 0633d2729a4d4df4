package io.sextant.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Event log relay and live stream settings.
 *
 * @param relayPollInterval how often the relay looks for events committed by other nodes; events
 *     of this node are relayed at once ({@code SEXTANT_EVENTS_RELAY_POLL_INTERVAL})
 * @param relayBatch most events one relay step reads ({@code SEXTANT_EVENTS_RELAY_BATCH})
 * @param streamHeartbeat interval of keep-alive comments on an idle live stream ({@code
 *     SEXTANT_EVENTS_STREAM_HEARTBEAT})
 * @param streamMaxConnections open live streams per node; more are refused with 503 ({@code
 *     SEXTANT_EVENTS_STREAM_MAX_CONNECTIONS})
 * @param streamBuffer events buffered for one slow live-stream client before it is disconnected
 *     (it resumes with Last-Event-ID) ({@code SEXTANT_EVENTS_STREAM_BUFFER})
 */
@ConfigurationProperties("sextant.events")
public record EventsProperties(
        @DefaultValue("500ms") Duration relayPollInterval,
        @DefaultValue("500") int relayBatch,
        @DefaultValue("15s") Duration streamHeartbeat,
        @DefaultValue("1000") int streamMaxConnections,
        @DefaultValue("10000") int streamBuffer) {}
