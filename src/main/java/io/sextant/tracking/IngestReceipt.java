package io.sextant.tracking;

import java.util.List;

/** The outcome of a batch: counts and every item's outcome, in request order. */
public record IngestReceipt(int accepted, int duplicates, int rejected, List<IngestOutcome> items) {

    static IngestReceipt of(List<IngestOutcome> items) {
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (IngestOutcome item : items) {
            switch (item.status()) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> duplicates++;
                case REJECTED -> rejected++;
            }
        }
        return new IngestReceipt(accepted, duplicates, rejected, List.copyOf(items));
    }
}
