package io.sextant.workflow;

import io.sextant.workflow.InstanceState.PendingTimer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something a transition asks the world to do, in the order it must be done, carried out by the
 * engine in the transition's transaction: the core decides, the engine writes.
 */
public sealed interface Effect {

    /** Append this event to the log. */
    record EmitEvent(String type, Map<String, Object> data) implements Effect {
        public EmitEvent {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }
    }

    /** Make this timer durable so that it fires at its due time. */
    record ScheduleTimer(PendingTimer timer) implements Effect {}

    /** Drop the timer with this id; if it fires anyway it is stale and ignored. */
    record CancelTimer(String timerId) implements Effect {}

    /** Enqueue a background job. */
    record EnqueueJob(String kind, Map<String, Object> payload) implements Effect {
        public EnqueueJob {
            payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
        }
    }

    /** Start an instance of another definition with these variables. */
    record StartChild(String definition, Map<String, Object> variables) implements Effect {
        public StartChild {
            variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        }
    }
}
