package io.sextant.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.identity.ApiKeys;
import io.sextant.identity.Permission;
import io.sextant.identity.SextantAuthentication;
import io.sextant.identity.SextantPrincipal;
import io.sextant.shared.TenantContext;
import io.sextant.shared.WarningThrottle;
import io.sextant.tracking.IngestOutcome;
import io.sextant.tracking.IngestReceipt;
import io.sextant.tracking.PositionIngest;
import io.sextant.tracking.PositionReport;
import io.sextant.tracking.TrackingProperties;
import io.sextant.tracking.protocol.Decoded;
import io.sextant.tracking.protocol.OwnTracksDecoder;
import io.sextant.tracking.protocol.PositionFormats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;

/**
 * Stores a batch of MQTT messages: each read by its source's format and written through position
 * ingest as the source's API key, with that key's permission and grants. Returns once every
 * message's positions are durable, or can never be (a message that is unreadable, too large, or
 * whose key is revoked or may not write them is dropped: counted, logged, and acknowledged like the
 * rest, as the broker would otherwise deliver it again forever). Any other failure (the database
 * away, ingest saturated) is thrown, and the batch must be stored again: ingest is idempotent, so
 * positions already stored are duplicates then.
 */
@Component
class MqttMessages {

    private static final Logger log = LoggerFactory.getLogger(MqttMessages.class);

    private final PositionIngest ingest;
    private final ApiKeys keys;
    private final List<Subscribed> sources;
    private final int maxMessageBytes;
    private final int maxBatchPositions;
    private final MeterRegistry meters;
    private final Counter received;
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofMinutes(1), System::nanoTime);

    private record Pending(List<PositionReport> reports, List<Received> origins) {}

    /** A configured source with its parsed filter. */
    record Subscribed(MqttProperties.Source source, TopicFilter filter) {}

    MqttMessages(
            PositionIngest ingest,
            ApiKeys keys,
            MqttProperties properties,
            TrackingProperties tracking,
            MeterRegistry meters) {
        this.ingest = ingest;
        this.keys = keys;
        this.sources = properties.sources().stream()
                .map(source -> new Subscribed(source, TopicFilter.parse(String.valueOf(source.topic()))))
                .toList();
        this.maxMessageBytes =
                (int) Math.min(Integer.MAX_VALUE, properties.maxMessageSize().toBytes());
        this.maxBatchPositions = tracking.maxBatchPositions();
        this.meters = meters;
        this.received = Counter.builder("sextant.mqtt.messages")
                .description("MQTT messages received and handled (stored or dropped)")
                .register(meters);
    }

    List<Subscribed> sources() {
        return sources;
    }

    /**
     * Says at start which sources' keys are refused now (unknown, revoked, expired, or without
     * {@code positions:write}): their messages would be dropped until the key is fixed.
     */
    void checkKeys() {
        for (Subscribed subscribed : sources) {
            String topic = String.valueOf(subscribed.source().topic());
            try {
                SextantPrincipal principal =
                        keys.authenticate(String.valueOf(subscribed.source().apiKey()));
                if (!principal.has(Permission.POSITIONS_WRITE)) {
                    log.error(
                            "The API key of the MQTT source {} does not hold positions:write: its messages will"
                                    + " be dropped",
                            topic);
                }
            } catch (AuthenticationException e) {
                log.error(
                        "The API key of the MQTT source {} is refused ({}): its messages will be dropped",
                        topic,
                        e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Could not check the API key of the MQTT source {} at start: {}", topic, e.toString());
            }
        }
    }

    /** Stores {@code batch}; throws only when it must be stored again. */
    void store(List<Received> batch) {
        // The positions of each source, in the order they came, and the message each came from.
        Map<Subscribed, Pending> pending = new LinkedHashMap<>();
        for (Received message : batch) {
            Subscribed source = sourceOf(message.topic());
            if (source == null) {
                dropped("no-source", message.topic(), "no configured source subscribes to this topic");
                continue;
            }
            if (message.payload().length > maxMessageBytes) {
                dropped(
                        "too-large",
                        message.topic(),
                        message.payload().length + " bytes, more than the limit of " + maxMessageBytes);
                continue;
            }
            Pending of = pending.computeIfAbsent(source, s -> new Pending(new ArrayList<>(), new ArrayList<>()));
            for (PositionReport report : read(source, message)) {
                of.reports().add(report);
                of.origins().add(message);
            }
        }
        pending.forEach((source, of) -> write(source, of.reports(), of.origins()));
        received.increment(batch.size());
    }

    private @Nullable Subscribed sourceOf(String topic) {
        for (Subscribed source : sources) {
            if (source.filter().matches(topic)) {
                return source;
            }
        }
        return null;
    }

    /** The positions of one message; none if it has none or is dropped. */
    private List<PositionReport> read(Subscribed subscribed, Received message) {
        MqttProperties.Source source = subscribed.source();
        return switch (source.format()) {
            case POSITIONS -> {
                try {
                    List<PositionReport> read = PositionFormats.message(message.payload(), maxBatchPositions);
                    Integer level = source.assetLevel();
                    yield level == null ? read : withAsset(read, message.topic(), level);
                } catch (PositionFormats.Malformed | PositionFormats.TooManyPositions e) {
                    dropped("unreadable", message.topic(), String.valueOf(e.getMessage()));
                    yield List.of();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case OWNTRACKS -> {
                String[] levels = message.topic().split("/", -1);
                String user = levels.length >= 2 ? levels[levels.length - 2] : null;
                String device = levels[levels.length - 1];
                yield switch (OwnTracksDecoder.decode(message.payload(), user, device)) {
                    case Decoded.Report report -> List.of(report.report());
                    case Decoded.Ignored ignored -> List.of();
                    case Decoded.Unusable unusable -> {
                        dropped(unusable.kind(), message.topic(), unusable.reason());
                        yield List.of();
                    }
                };
            }
        };
    }

    /** Positions that name no asset take the external id in the topic's level {@code level}. */
    private static List<PositionReport> withAsset(List<PositionReport> read, String topic, int level) {
        String[] levels = topic.split("/", -1);
        if (level > levels.length || levels[level - 1].isBlank()) {
            return read;
        }
        String externalId = levels[level - 1];
        return read.stream()
                .map(r -> r.assetId() != null || r.externalId() != null || r.problem() != null
                        ? r
                        : new PositionReport(
                                null,
                                externalId,
                                r.eventTime(),
                                r.lon(),
                                r.lat(),
                                r.altitude(),
                                r.accuracy(),
                                r.speed(),
                                r.heading(),
                                r.attributes(),
                                null))
                .toList();
    }

    /** Writes one source's positions as its key, in ingest calls of at most the batch limit. */
    private void write(Subscribed subscribed, List<PositionReport> reports, List<Received> origins) {
        if (reports.isEmpty()) {
            return;
        }
        String topic = String.valueOf(subscribed.source().topic());
        SextantPrincipal principal;
        try {
            principal = keys.authenticate(String.valueOf(subscribed.source().apiKey()));
        } catch (AuthenticationException e) {
            dropped(
                    "credentials",
                    topic,
                    reports.size() + " positions, as the source's API key is refused: " + e.getMessage());
            return;
        }
        SextantAuthentication authentication = new SextantAuthentication(principal, "");
        for (int from = 0; from < reports.size(); from += maxBatchPositions) {
            List<PositionReport> part = reports.subList(from, Math.min(reports.size(), from + maxBatchPositions));
            IngestReceipt receipt;
            try {
                receipt = TenantContext.callFor(authentication, () -> ingest.ingest(part));
            } catch (AccessDeniedException e) {
                dropped(
                        "forbidden",
                        topic,
                        part.size() + " positions, as the source's API key does not hold" + " positions:write");
                continue;
            }
            for (IngestOutcome outcome : receipt.items()) {
                if (outcome.status() == IngestOutcome.Status.REJECTED) {
                    dropped(
                            outcome.reasonKind(),
                            origins.get(from + outcome.index()).topic(),
                            String.valueOf(outcome.reason()));
                }
            }
        }
    }

    private void dropped(String reason, String topic, String detail) {
        Counter.builder("sextant.ingest.dropped")
                .description("Tracker messages answered as a success but not stored: they never could be")
                .tag("protocol", "mqtt")
                .tag("reason", reason)
                .register(meters)
                .increment();
        long suppressed = warnings.suppressedBefore(reason);
        if (suppressed >= 0) {
            // The topic and detail quote what the device sent: no control characters into the log.
            log.warn(
                    "Dropped MQTT input that can never be stored ({}) on topic {}: {}; {} more dropped for this"
                            + " reason since the last warning",
                    reason,
                    topic.replaceAll("\\p{Cntrl}", "?"),
                    detail.replaceAll("\\p{Cntrl}", "?"),
                    suppressed);
        }
    }
}
