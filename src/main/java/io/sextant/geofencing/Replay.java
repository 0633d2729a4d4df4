package io.sextant.geofencing;

import java.util.List;

/** The outcome of replaying fixes through the fence state machine. */
public record Replay(FenceState finalState, List<Transition> transitions) {

    public Replay {
        transitions = List.copyOf(transitions);
    }
}
