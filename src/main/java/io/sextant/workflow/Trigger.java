package io.sextant.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What asks an instance to move: a command from the API, an event from the log, or a timer firing. */
public sealed interface Trigger {

    /** A named command with its arguments, sent by {@code caller}. */
    record Command(String name, Map<String, Object> args, Caller caller) implements Trigger {
        public Command {
            args = Map.copyOf(args);
        }
    }

    /** An event of the log that correlates with the instance (by bound asset or zone). */
    record Event(
            String id,
            String type,
            Map<String, Object> data,
            @Nullable String assetId,
            @Nullable String zoneId,
            Instant time)
            implements Trigger {
        public Event {
            data = Map.copyOf(data);
        }
    }

    /** The pending timer with this id fired. */
    record TimerFired(String timerId) implements Trigger {}

    /** Who sent a command: the subject, its groups (for guards) and its permissions (for a command's permission). */
    record Caller(String subject, List<String> groups, Set<String> permissions) {
        public Caller {
            groups = List.copyOf(groups);
            permissions = Set.copyOf(permissions);
        }
    }
}
