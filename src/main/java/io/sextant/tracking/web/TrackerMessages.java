package io.sextant.tracking.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.shared.WarningThrottle;
import io.sextant.tracking.IngestOutcome;
import io.sextant.tracking.PositionIngest;
import io.sextant.tracking.protocol.Decoded;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Acts on one decoded tracker message: a position is ingested (accepted or a duplicate is success),
 * anything else that the protocol defines is dropped.
 *
 * <p>A message that can never be stored (unreadable, encrypted, an unknown device, a time out of
 * range) is dropped too, and answered as a success: tracker apps resend a message until it is
 * answered with a 2xx — OwnTracks puts it back at the head of its queue, Traccar Client retries the
 * oldest stored position every 30 seconds — so an error would block every later position for good.
 * Each drop is counted ({@code sextant.ingest.dropped}, by protocol and reason) and logged at WARN,
 * at most once a minute per protocol and reason.
 */
@Component
class TrackerMessages {

    static final String DROPPED_HEADER = "Sextant-Dropped";
    private static final Logger log = LoggerFactory.getLogger(TrackerMessages.class);

    private final PositionIngest ingest;
    private final MeterRegistry meters;
    private final WarningThrottle warnings = new WarningThrottle(Duration.ofMinutes(1), System::nanoTime);

    TrackerMessages(PositionIngest ingest, MeterRegistry meters) {
        this.ingest = ingest;
        this.meters = meters;
    }

    /**
     * Stores the message's position, if it has one. Returns why the message was dropped (a short
     * reason, as in the metric) when it can never be stored, else nothing.
     *
     * @param protocol {@code owntracks} or {@code osmand}
     */
    Optional<String> accept(String protocol, Decoded message) {
        return switch (message) {
            case Decoded.Report report -> {
                IngestOutcome outcome =
                        ingest.ingest(List.of(report.report())).items().getFirst();
                yield outcome.status() == IngestOutcome.Status.REJECTED
                        ? Optional.of(dropped(protocol, outcome.reasonKind(), String.valueOf(outcome.reason())))
                        : Optional.empty();
            }
            case Decoded.Ignored ignored -> Optional.empty();
            case Decoded.Unusable unusable -> Optional.of(dropped(protocol, unusable.kind(), unusable.reason()));
        };
    }

    private String dropped(String protocol, String reason, String detail) {
        Counter.builder("sextant.ingest.dropped")
                .description("Tracker messages answered as a success but not stored: they never could be")
                .tag("protocol", protocol)
                .tag("reason", reason)
                .register(meters)
                .increment();
        long suppressed = warnings.suppressedBefore(protocol + "/" + reason);
        if (suppressed >= 0) {
            // The detail quotes what the device sent: no control characters into the log.
            log.warn(
                    "Dropped an {} message that can never be stored ({}): {}; {} more dropped for this reason"
                            + " since the last warning",
                    protocol,
                    reason,
                    detail.replaceAll("\\p{Cntrl}", "?"),
                    suppressed);
        }
        return reason;
    }
}
