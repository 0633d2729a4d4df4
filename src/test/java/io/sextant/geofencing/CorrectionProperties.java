package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * Corrections make the past consistent: a consumer that applies every event the fence engine emits
 * for one asset and one zone — dropping the events a correction retracts, adding those it asserts —
 * holds, event by event and field by field, what one evaluation of all fixes in event-time order
 * gives. Tracks wander through a zone with a margin, under rules with minimum fixes, minimum
 * duration, an accuracy limit and a dwell; their fixes arrive in groups, in an order with late ones.
 * The engine is modelled by the pure pieces it runs (the state machine, {@link Reevaluation}, the
 * payload of {@link FenceEvents}) over in-memory storage, arranged as {@link FenceEngine} arranges
 * them.
 */
class CorrectionProperties {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    private static final Duration LOOKBACK = Duration.ofDays(365);

    /** One fix of a track: where it lies relative to the zone, and what an event would show of it. */
    record TrackFix(PresenceFix presenceFix, FenceEvents.FixData data) {

        Instant time() {
            return presenceFix.fix().time();
        }
    }

    /** A track, the rules of its zone, and the groups its fixes arrive in (indexes into the track). */
    record Scenario(FenceRules rules, List<TrackFix> track, List<List<Integer>> arrivals) {}

    // --- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Duration> minDuration = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Duration.ZERO)),
                Tuple.of(1, Arbitraries.integers().between(1, 150).map(Duration::ofSeconds)));
        Arbitrary<FenceRules> rules = Combinators.combine(
                        Arbitraries.integers().between(1, 3),
                        minDuration,
                        Arbitraries.doubles().between(20, 80).ofScale(1).injectNull(0.5),
                        Arbitraries.integers()
                                .between(60, 900)
                                .map(Duration::ofSeconds)
                                .injectNull(0.3))
                .as(FenceRules::new);
        Arbitrary<Double> margin = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0.0)),
                Tuple.of(2, Arbitraries.doubles().between(5, 30)));
        Arbitrary<List<Double>> waypoints =
                Arbitraries.doubles().between(-120, 120).list().ofMinSize(2).ofMaxSize(8);
        Arbitrary<List<Integer>> stepsPerLeg =
                Arbitraries.integers().between(1, 6).list().ofSize(8);
        Arbitrary<List<Double>> noise =
                Arbitraries.doubles().between(-25, 25).list().ofSize(60);
        Arbitrary<List<Integer>> gaps =
                Arbitraries.integers().between(1, 150).list().ofSize(60);
        Arbitrary<List<Double>> accuracies = Arbitraries.doubles()
                .between(1, 120)
                .ofScale(1)
                .injectNull(0.3)
                .list()
                .ofSize(60);
        Arbitrary<List<Integer>> delays = Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just(0)),
                        Tuple.of(1, Arbitraries.integers().between(1, 40)))
                .list()
                .ofSize(60);
        Arbitrary<List<Integer>> groupSizes =
                Arbitraries.integers().between(1, 4).list().ofSize(60);
        Arbitrary<List<TrackFix>> tracks = Combinators.combine(margin, waypoints, stepsPerLeg, noise, gaps, accuracies)
                .as(CorrectionProperties::track);
        return Combinators.combine(rules, tracks, delays, groupSizes).as((r, track, delay, sizes) -> {
            // Each fix arrives after the ones before it, except when it is held back a while.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < track.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt((Integer i) -> i + delay.get(i)).thenComparing(i -> i));
            List<List<Integer>> arrivals = new ArrayList<>();
            int next = 0;
            for (int size : sizes) {
                if (next >= order.size()) {
                    break;
                }
                arrivals.add(order.subList(next, Math.min(order.size(), next + size)));
                next += size;
            }
            return new Scenario(r, track, arrivals);
        });
    }

    /**
     * Signed distances from the boundary (positive inside) from waypoint to waypoint, with noise, at
     * increasing times; each fix is placed at a made-up spot that tells the fixes apart.
     */
    private static List<TrackFix> track(
            double margin,
            List<Double> waypoints,
            List<Integer> stepsPerLeg,
            List<Double> noise,
            List<Integer> gaps,
            List<Double> accuracies) {
        List<Double> distances = new ArrayList<>();
        double previous = -60;
        for (int leg = 0; leg < waypoints.size(); leg++) {
            int steps = stepsPerLeg.get(leg);
            for (int k = 1; k <= steps; k++) {
                distances.add(previous + (waypoints.get(leg) - previous) * k / steps);
            }
            previous = waypoints.get(leg);
        }
        List<TrackFix> track = new ArrayList<>();
        Instant time = T0;
        for (int i = 0; i < distances.size(); i++) {
            time = time.plusSeconds(gaps.get(i));
            double distance = distances.get(i) + noise.get(i);
            Presence presence = Presence.classify(distance > 0, Math.abs(distance), margin);
            Double accuracy = accuracies.get(i);
            track.add(new TrackFix(
                    new PresenceFix(new Fix(time, accuracy), presence),
                    new FenceEvents.FixData(time, 10 + i * 1e-4, 50 + distance * 1e-5, accuracy)));
        }
        return track;
    }

    // --- the property -----------------------------------------------------------------------

    @Property(tries = 2_000)
    void after_applying_every_correction_each_event_says_what_a_replay_from_scratch_says(
            @ForAll("scenarios") Scenario scenario) {
        Engine engine = new Engine(scenario.rules());
        for (List<Integer> group : scenario.arrivals()) {
            engine.receive(group.stream().map(scenario.track()::get).toList());
        }

        List<FenceEvents.TransitionFacts> fromScratch = new ArrayList<>();
        NavigableMap<Instant, TrackFix> all = new TreeMap<>();
        scenario.track().forEach(fix -> all.put(fix.time(), fix));
        for (Transition transition : FenceStateMachine.replay(
                FenceState.OUTSIDE,
                all.values().stream().map(TrackFix::presenceFix).toList(),
                scenario.rules())) {
            fromScratch.add(facts(transition, all));
        }

        assertThat(sorted(engine.consumer.values())).containsExactlyElementsOf(sorted(fromScratch));
        Statistics.label("late data")
                .collect(
                        engine.retractedStays > 0
                                ? "an exit or dwell retracted for its stay alone"
                                : engine.corrections > 0 ? "other corrections" : "nothing to correct")
                .coverage(check -> {
                    check.check("an exit or dwell retracted for its stay alone").percentage(p -> p >= 1);
                    check.check("other corrections").percentage(p -> p >= 10);
                });
    }

    private static List<FenceEvents.TransitionFacts> sorted(Iterable<FenceEvents.TransitionFacts> facts) {
        List<FenceEvents.TransitionFacts> list = new ArrayList<>();
        facts.forEach(list::add);
        list.sort(Comparator.comparing(FenceEvents.TransitionFacts::time)
                .thenComparing(FenceEvents.TransitionFacts::type));
        return list;
    }

    private static FenceEvents.TransitionFacts facts(Transition transition, Map<Instant, TrackFix> stored) {
        Instant at = FenceEvents.positionTime(transition);
        TrackFix fix = at == null ? null : stored.get(at);
        return FenceEvents.facts(transition, fix == null ? null : fix.data());
    }

    /**
     * The fence engine for one asset and one zone (always active), as {@link FenceEngine} does it:
     * a group's late fixes first replay the stored track and correct, then its new fixes step the
     * state machine. Storage is in memory; the consumer keeps each event's facts by event id.
     */
    static final class Engine {

        /** A row of the transition history: what was emitted, and whether it was retracted since. */
        static final class Row {
            final int eventId;
            final Transition transition;
            final @Nullable Instant confirmedAt;
            boolean retracted;

            Row(int eventId, Transition transition, @Nullable Instant confirmedAt) {
                this.eventId = eventId;
                this.transition = transition;
                this.confirmedAt = confirmedAt;
            }
        }

        private final FenceRules rules;
        private final NavigableMap<Instant, TrackFix> stored = new TreeMap<>();
        private final List<Row> rows = new ArrayList<>();
        final Map<Integer, FenceEvents.TransitionFacts> consumer = new LinkedHashMap<>();
        private FenceState state = FenceState.OUTSIDE;
        private @Nullable Instant lastTime;
        private int nextEventId;
        int corrections;
        // Exits and dwells retracted while one at the same time, with another stay, was asserted.
        int retractedStays;

        Engine(FenceRules rules) {
            this.rules = rules;
        }

        void receive(List<TrackFix> group) {
            List<TrackFix> sorted =
                    group.stream().sorted(Comparator.comparing(TrackFix::time)).toList();
            sorted.forEach(fix -> stored.put(fix.time(), fix));
            Instant last = lastTime;
            List<TrackFix> late = sorted.stream()
                    .filter(fix -> last != null && !fix.time().isAfter(last))
                    .toList();
            if (last != null && !late.isEmpty()) {
                reevaluate(late.getFirst().time(), last);
            }
            for (TrackFix fix : sorted) {
                if (last != null && !fix.time().isAfter(last)) {
                    continue;
                }
                Step step = FenceStateMachine.next(
                        state, fix.presenceFix().fix(), fix.presenceFix().presence(), rules);
                setState(step.state());
                step.transitions().forEach(transition -> emit(transition, fix.time()));
            }
            Instant newest = sorted.getLast().time();
            lastTime = last == null || newest.isAfter(last) ? newest : last;
        }

        private void reevaluate(Instant earliest, Instant last) {
            Instant horizon = earliest.minus(LOOKBACK);
            List<Row> history = rows.stream()
                    .filter(row -> !row.retracted)
                    .sorted(Comparator.comparing((Row row) -> row.transition.time())
                            .thenComparing(row -> FenceStore.kind(row.transition)))
                    .toList();
            Reevaluation.Start start = Reevaluation.start(
                    history.stream()
                            .map(row -> new Reevaluation.Emitted(row.transition, row.confirmedAt))
                            .toList(),
                    earliest,
                    horizon);
            List<PresenceFix> fixes = stored.subMap(start.from(), false, last, true).values().stream()
                    .map(TrackFix::presenceFix)
                    .toList();
            Reevaluation.Outcome outcome = Reevaluation.reconcile(start, fixes, rules, time -> true);
            setState(outcome.finalState());
            if (!outcome.changesNothing()) {
                corrections++;
            }
            for (Transition retracted : outcome.retracted()) {
                if (!(retracted instanceof Transition.Entered)
                        && outcome.asserted().stream()
                                .anyMatch(a -> a.transition().getClass() == retracted.getClass()
                                        && a.transition().time().equals(retracted.time()))) {
                    retractedStays++;
                }
            }
            List<Row> previous = new ArrayList<>(history.stream()
                    .filter(row -> row.transition.time().isAfter(start.from()))
                    .toList());
            for (Transition retracted : outcome.retracted()) {
                Row row = previous.stream()
                        .filter(r -> r.transition.equals(retracted))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("retracts what was not emitted: " + retracted));
                previous.remove(row);
                row.retracted = true;
                assertThat(consumer.remove(row.eventId))
                        .as("a retracted event is one the consumer holds")
                        .isNotNull();
            }
            outcome.asserted().forEach(emitted -> emit(emitted.transition(), emitted.confirmedAt()));
        }

        /** As the engine keeps it: a state settled outside is not kept at all. */
        private void setState(FenceState next) {
            state = AssetFences.isSettledOutside(next) ? FenceState.OUTSIDE : next;
        }

        private void emit(Transition transition, @Nullable Instant confirmedAt) {
            int eventId = nextEventId++;
            rows.add(new Row(eventId, transition, confirmedAt));
            consumer.put(eventId, facts(transition, stored));
        }
    }
}
