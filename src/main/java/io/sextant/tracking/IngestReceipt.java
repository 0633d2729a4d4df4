package io.sextant.tracking;

import java.util.List;

/**
 * The outcome of a batch: counts and the items' outcomes, in request order — every item's, or (in a
 * {@link #minimal() minimal} receipt) only those not accepted.
 */
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

    /** The same counts, and the outcomes of the items that were not accepted (duplicates and rejections). */
    public IngestReceipt minimal() {
        return new IngestReceipt(
                accepted,
                duplicates,
                rejected,
                items.stream()
                        .filter(item -> item.status() != IngestOutcome.Status.ACCEPTED)
                        .toList());
    }
}
