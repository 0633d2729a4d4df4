package io.sextant.geofencing;

import java.util.List;

/**
 * How the transitions emitted for a zone must change after a replay: those to take back and those
 * to announce. Transitions the replay confirms appear in neither list.
 */
public record Correction(List<Transition> retracted, List<Transition> asserted) {

    public Correction {
        retracted = List.copyOf(retracted);
        asserted = List.copyOf(asserted);
    }

    public boolean isEmpty() {
        return retracted.isEmpty() && asserted.isEmpty();
    }
}
