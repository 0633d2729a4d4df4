package io.sextant.workflow;

import io.sextant.events.EventTypes;
import io.sextant.workflow.Step.Applied;
import io.sextant.workflow.Trigger.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The shipped mission definition, its zones and callers, and the triggers the tests send it. */
final class WorkflowFixtures {

    static final WorkflowDefinitionReader READER = new WorkflowDefinitionReader(EventTypes.ALL);

    static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    static final String MISSION_ID = "mission-1";
    static final String DEPOT = "zone-depot";
    static final String SITE = "zone-site";
    static final String ELSEWHERE = "zone-elsewhere";
    static final String VEHICLE = "asset-truck-7";

    static final Caller DISPATCHER = new Caller("dispatcher-1", List.of("ops"), Set.of("workflows:command"));
    static final Caller VISITOR = new Caller("visitor-1", List.of(), Set.of());

    private WorkflowFixtures() {}

    static String resource(String path) {
        try (InputStream in = WorkflowFixtures.class.getClassLoader().getResourceAsStream(path)) {
            return new String(Objects.requireNonNull(in, path).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WorkflowDefinition mission() {
        return READER.read(resource("workflow/examples/mission.yaml"), WorkflowDefinitionReader.Format.YAML);
    }

    static InstanceState startedMission(WorkflowMachine machine) {
        return applied(machine.start(
                        MISSION_ID,
                        Map.of("priority", "high"),
                        Map.of("vehicle", VEHICLE),
                        Map.of("depot", DEPOT, "site", SITE),
                        "dispatcher-1",
                        T0))
                .state();
    }

    static Applied applied(Step step) {
        if (step instanceof Applied applied) {
            return applied;
        }
        throw new AssertionError("expected the step to apply, but: " + step);
    }

    static Trigger.Command command(String name, Caller caller) {
        return new Trigger.Command(name, Map.of(), caller);
    }

    static Trigger.Event exited(String eventId, String zone, Instant time) {
        return zoneEvent(eventId, EventTypes.ZONE_EXITED, zone, time);
    }

    static Trigger.Event entered(String eventId, String zone, Instant time) {
        return zoneEvent(eventId, EventTypes.ZONE_ENTERED, zone, time);
    }

    private static Trigger.Event zoneEvent(String eventId, String type, String zone, Instant time) {
        return new Trigger.Event(eventId, type, Map.of("zoneId", zone), VEHICLE, zone, time);
    }

    /** A correction that retracts the transition the event {@code retracted} reported, as the fence engine sends it. */
    static Trigger.Event corrected(String eventId, String retracted, Instant time) {
        Map<String, Object> data = Map.of(
                "zoneId", SITE,
                "retracted",
                        List.of(Map.of("eventId", retracted, "type", EventTypes.ZONE_ENTERED, "time", time.toString())),
                "asserted", List.of());
        return new Trigger.Event(eventId, EventTypes.FENCE_CORRECTED, data, VEHICLE, SITE, time);
    }
}
