package io.sextant.tracking.web;

import io.sextant.shared.web.Problems;
import io.sextant.tracking.IngestOutcome;
import io.sextant.tracking.PositionIngest;
import io.sextant.tracking.protocol.Decoded;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Acts on one decoded tracker message: a position is ingested (accepted or a duplicate is success),
 * anything else that the protocol defines is dropped, and unusable or rejected input is a 400 whose
 * detail says why.
 */
@Component
class TrackerMessages {

    private final PositionIngest ingest;

    TrackerMessages(PositionIngest ingest) {
        this.ingest = ingest;
    }

    void accept(Decoded message) {
        switch (message) {
            case Decoded.Report report -> {
                IngestOutcome outcome =
                        ingest.ingest(List.of(report.report())).items().getFirst();
                if (outcome.status() == IngestOutcome.Status.REJECTED) {
                    throw rejected(String.valueOf(outcome.reason()));
                }
            }
            case Decoded.Ignored ignored -> {}
            case Decoded.Unusable unusable -> throw rejected(unusable.reason());
        }
    }

    private static RuntimeException rejected(String reason) {
        return Problems.of(HttpStatus.BAD_REQUEST, "position-rejected", "Position rejected", reason);
    }
}
