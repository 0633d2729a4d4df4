package io.sextant.geofencing;

import java.util.List;

/** The fence state after one input and the transitions that input caused, in time order. */
public record Step(FenceState state, List<Transition> transitions) {

    public Step {
        transitions = List.copyOf(transitions);
    }

    static Step unchanged(FenceState state) {
        return new Step(state, List.of());
    }
}
