package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.geofencing.ProximityRule.AssetPair;
import io.sextant.geofencing.ProximityRule.ProximityEnded;
import io.sextant.geofencing.ProximityRule.ProximityStarted;
import io.sextant.geofencing.ProximityRule.ProximityState;
import io.sextant.geofencing.ProximityRule.ProximityStep;
import io.sextant.geofencing.ProximityRule.ProximityTransition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class ProximityRuleTest {

    private static final Instant T0 = Instant.parse("2025-03-04T06:00:00Z");
    private static final double THRESHOLD = 50;
    private static final double MARGIN = 10;

    /** Feeds one distance every 10 s against a 50 m threshold with a 10 m margin. */
    private static List<ProximityTransition> approach(double... distances) {
        ProximityState state = ProximityState.APART;
        List<ProximityTransition> transitions = new ArrayList<>();
        for (int i = 0; i < distances.length; i++) {
            ProximityStep step = ProximityRule.next(state, T0.plusSeconds(10L * i), distances[i], THRESHOLD, MARGIN);
            state = step.state();
            transitions.addAll(step.transitions());
        }
        return transitions;
    }

    @Test
    void two_assets_are_near_as_soon_as_they_are_closer_than_the_threshold() {
        assertThat(approach(200, 80, 50)).isEmpty();
        assertThat(approach(200, 80, 49.5)).containsExactly(new ProximityStarted(T0.plusSeconds(20), 49.5));
    }

    @Test
    void two_near_assets_part_only_beyond_the_threshold_plus_the_margin() {
        List<ProximityTransition> transitions = approach(40, 55, 45, 60, 58, 60.5, 30);

        assertThat(transitions)
                .containsExactly(
                        new ProximityStarted(T0, 40),
                        new ProximityEnded(T0.plusSeconds(50), 60.5),
                        new ProximityStarted(T0.plusSeconds(60), 30));
    }

    @Test
    void a_near_pair_remembers_since_when() {
        ProximityStep step = ProximityRule.next(ProximityState.APART, T0, 10, THRESHOLD, MARGIN);
        ProximityStep still = ProximityRule.next(step.state(), T0.plusSeconds(10), 55, THRESHOLD, MARGIN);

        assertThat(still.state()).isEqualTo(new ProximityState(true, T0));
        assertThat(still.transitions()).isEmpty();
    }

    @Test
    void a_negative_distance_is_refused() {
        assertThatThrownBy(() -> ProximityRule.next(ProximityState.APART, T0, -1, THRESHOLD, MARGIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distanceMeters");
    }

    @Test
    void a_pair_is_the_same_whichever_asset_comes_first() {
        UUID a = UUID.fromString("0197a2c0-0000-7000-8000-000000000001");
        UUID b = UUID.fromString("0197a2c0-0000-7000-8000-000000000002");

        assertThat(AssetPair.of(b, a)).isEqualTo(AssetPair.of(a, b)).isEqualTo(new AssetPair(a, b));
    }

    @Test
    void an_asset_is_not_a_pair_with_itself_and_a_pair_is_written_lower_id_first() {
        UUID a = UUID.fromString("0197a2c0-0000-7000-8000-000000000001");
        UUID b = UUID.fromString("0197a2c0-0000-7000-8000-000000000002");

        assertThatThrownBy(() -> AssetPair.of(a, a)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AssetPair(b, a)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<List<Double>> distances() {
        return Arbitraries.doubles().between(0, 200).ofScale(1).list().ofMaxSize(60);
    }

    @Property
    void started_and_ended_alternate_beginning_with_started(
            @ForAll("distances") List<Double> distances,
            @ForAll @DoubleRange(min = 1, max = 150) double threshold,
            @ForAll @DoubleRange(min = 0, max = 40) double margin) {
        ProximityState state = ProximityState.APART;
        List<ProximityTransition> transitions = new ArrayList<>();
        for (int i = 0; i < distances.size(); i++) {
            ProximityStep step =
                    ProximityRule.next(state, T0.plusSeconds(10L * i), distances.get(i), threshold, margin);
            state = step.state();
            transitions.addAll(step.transitions());
        }

        for (int i = 0; i < transitions.size(); i++) {
            ProximityTransition transition = transitions.get(i);
            if (i % 2 == 0) {
                assertThat(transition).isInstanceOf(ProximityStarted.class);
                assertThat(transition.distanceMeters()).isLessThan(threshold);
            } else {
                assertThat(transition).isInstanceOf(ProximityEnded.class);
                assertThat(transition.distanceMeters()).isGreaterThan(threshold + margin);
            }
        }
        assertThat(state.near()).isEqualTo(transitions.size() % 2 == 1);
    }

    /** Any ids, not only well-formed v7 ones, so that ids whose high bits make them negative longs come up too. */
    @Provide
    Arbitrary<UUID> ids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    @Property
    void a_pair_of_two_distinct_assets_does_not_depend_on_their_order(@ForAll("ids") UUID a, @ForAll("ids") UUID b) {
        Assume.that(!a.equals(b));
        AssetPair pair = AssetPair.of(a, b);

        assertThat(AssetPair.of(b, a)).isEqualTo(pair);
        assertThat(List.of(pair.first(), pair.second())).containsExactlyInAnyOrder(a, b);
    }
}
