package io.sextant.workflow;

import static io.sextant.workflow.WorkflowFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.workflow.InstanceState.PendingTimer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** The stored form of variables and timers gives back exactly what was written, type for type. */
class InstanceStateJsonTest {

    @Test
    void the_stored_variables_tag_instants_and_write_doubles_with_a_decimal_point() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("priority", "high");
        variables.put("count", 3L);
        variables.put("ratio", 1.0);
        variables.put("big", 1.0e20);
        variables.put("done", false);
        variables.put("dispatchedAt", T0);

        assertThat(InstanceStateJson.variablesToJson(variables))
                .isEqualTo("{\"priority\":\"high\",\"count\":3,\"ratio\":1.0,\"big\":100000000000000000000.0,"
                        + "\"done\":false,\"dispatchedAt\":{\"$time\":\"2026-12-04T08:00:00Z\"}}");
    }

    @Test
    void an_instant_comes_back_an_instant_and_a_string_that_looks_like_one_stays_a_string() {
        Map<String, Object> variables = Map.of("at", T0, "remindAt", T0.toString());

        Map<String, Object> back = roundTrip(variables);

        assertThat(back.get("at")).isInstanceOf(Instant.class).isEqualTo(T0);
        assertThat(back.get("remindAt")).isInstanceOf(String.class).isEqualTo(T0.toString());
    }

    @Test
    void longs_stay_longs_and_doubles_stay_doubles_even_when_whole() {
        Map<String, Object> variables =
                Map.of("one", 1L, "oneDouble", 1.0, "huge", 1.0e300, "tiny", 1.0e-300, "max", Long.MAX_VALUE);

        Map<String, Object> back = roundTrip(variables);

        assertThat(back).isEqualTo(variables);
        assertThat(back.get("one")).isInstanceOf(Long.class);
        assertThat(back.get("oneDouble")).isInstanceOf(Double.class);
        assertThat(back.get("huge")).isInstanceOf(Double.class);
    }

    @Test
    void doubles_json_cannot_hold_are_tagged_and_come_back() {
        Map<String, Object> variables = Map.of(
                "nan", Double.NaN,
                "up", Double.POSITIVE_INFINITY,
                "down", Double.NEGATIVE_INFINITY,
                "negativeZero", -0.0);

        assertThat(roundTrip(variables)).isEqualTo(variables);
    }

    @Test
    void a_map_whose_key_looks_like_a_tag_is_not_taken_for_a_tagged_value() {
        Map<String, Object> variables = Map.of(
                "lookalike", Map.of("$time", T0.toString()),
                "nested", List.of(Map.of("$double", "NaN", "$$money", 2L)));

        String json = InstanceStateJson.variablesToJson(variables);

        assertThat(json).contains("\"$$time\"", "\"$$$money\"");
        assertThat(InstanceStateJson.variablesFromJson(json)).isEqualTo(variables);
    }

    @Test
    void pending_timers_come_back_with_their_kind_and_in_their_order() {
        Map<String, PendingTimer> timers = new LinkedHashMap<>();
        PendingTimer later = new PendingTimer.NamedTimer("m:3:timer:reminder", "reminder", T0.plusSeconds(90));
        PendingTimer sooner = new PendingTimer.StateTimer("m:2:en_route:after:1", "en_route", 1, T0.plusNanos(5));
        timers.put(later.id(), later);
        timers.put(sooner.id(), sooner);

        Map<String, PendingTimer> back = InstanceStateJson.timersFromJson(InstanceStateJson.timersToJson(timers));

        assertThat(back).containsExactly(Map.entry(later.id(), later), Map.entry(sooner.id(), sooner));
    }

    @Test
    void what_was_not_written_by_it_is_refused() {
        assertThatThrownBy(() -> InstanceStateJson.variablesFromJson("[1]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InstanceStateJson.variablesFromJson("{\"a\":null}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InstanceStateJson.variablesFromJson("{\"a\":{\"$date\":\"x\"}}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InstanceStateJson.variablesFromJson("{\"a\":"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> InstanceStateJson.timersFromJson("[{\"id\":\"t\",\"kind\":\"other\",\"dueAt\":\"x\"}]"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void any_variables_come_back_equal(@ForAll("variables") Map<String, Object> variables) {
        assertThat(roundTrip(variables)).isEqualTo(variables);
    }

    @Property
    void any_pending_timers_come_back_equal_and_in_order(@ForAll("timers") List<PendingTimer> list) {
        Map<String, PendingTimer> timers = new LinkedHashMap<>();
        list.forEach(timer -> timers.put(timer.id(), timer));

        Map<String, PendingTimer> back = InstanceStateJson.timersFromJson(InstanceStateJson.timersToJson(timers));

        assertThat(back).containsExactlyEntriesOf(timers);
    }

    private static Map<String, Object> roundTrip(Map<String, Object> variables) {
        return InstanceStateJson.variablesFromJson(InstanceStateJson.variablesToJson(variables));
    }

    @Provide
    Arbitrary<Map<String, Object>> variables() {
        return Arbitraries.maps(keys(), value(3)).ofMaxSize(6);
    }

    /** Keys include the ones that look like tags. */
    private static Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(8),
                Arbitraries.of("$time", "$double", "$$time", "$", "$$"),
                Arbitraries.strings().alpha().ofMaxLength(4).map(s -> "$" + s));
    }

    private static Arbitrary<Object> value(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(Object.class::cast),
                Arbitraries.of(T0.toString(), "{\"$time\":\"x\"}", "1.0", "NaN").map(Object.class::cast),
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.doubles()
                        .withSpecialValue(Double.NaN)
                        .withSpecialValue(-0.0)
                        .withSpecialValue(Double.POSITIVE_INFINITY)
                        .withSpecialValue(Double.MIN_VALUE)
                        .withSpecialValue(Double.MAX_VALUE)
                        .withSpecialValue(1.0)
                        .map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                instants().map(Object.class::cast));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> list = value(depth - 1).list().ofMaxSize(4).map(Object.class::cast);
        Arbitrary<Object> map =
                Arbitraries.maps(keys(), value(depth - 1)).ofMaxSize(4).map(Object.class::cast);
        return Arbitraries.frequencyOf(Tuple.of(6, leaf), Tuple.of(1, list), Tuple.of(1, map));
    }

    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs()
                .between(
                        -Duration.ofDays(365L * 3000).toSeconds(),
                        Duration.ofDays(365L * 3000).toSeconds())
                .flatMap(seconds -> Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }

    @Provide
    Arbitrary<List<PendingTimer>> timers() {
        Arbitrary<PendingTimer> state = Combinators.combine(
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(10),
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                        Arbitraries.integers().between(0, 9),
                        instants())
                .as((id, name, index, dueAt) -> new PendingTimer.StateTimer(id, name, index, dueAt));
        Arbitrary<PendingTimer> named = Combinators.combine(
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(10),
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                        instants())
                .as((id, name, dueAt) -> new PendingTimer.NamedTimer(id, name, dueAt));
        return Arbitraries.oneOf(state, named).list().ofMaxSize(6);
    }
}
