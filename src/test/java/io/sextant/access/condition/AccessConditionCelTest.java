package io.sextant.access.condition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The in-memory decision is CEL's: for random assets and conditions from the fragment, {@link
 * AccessCondition#test} answers as CEL's own runtime does, an error counting as false. The inputs
 * leave out the two places where the fragment knowingly departs from CEL in Java (see {@link
 * ConditionArbitraries#celComparable}).
 */
class AccessConditionCelTest {

    private static final ConditionArbitraries ARBITRARIES = ConditionArbitraries.celComparable();
    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.HAS, CelStandardMacro.EXISTS)
            .addVar("subject.id", SimpleType.STRING)
            .addVar("subject.kind", SimpleType.STRING)
            .addVar("subject.groups", ListType.create(SimpleType.STRING))
            .addVar("asset.id", SimpleType.STRING)
            .addVar("asset.externalId", SimpleType.STRING)
            .addVar("asset.type", SimpleType.STRING)
            .addVar("asset.tags", ListType.create(SimpleType.STRING))
            .addVar("asset.classification", SimpleType.STRING)
            .addVar("asset.attributes", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("request.time", SimpleType.TIMESTAMP)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    @Property(tries = 2_000)
    void in_memory_a_condition_decides_as_the_cel_runtime_does(
            @ForAll("conditions") String expression,
            @ForAll("assets") AssetAttributes asset,
            @ForAll("subjects") SubjectAttributes subject,
            @ForAll("times") Instant requestTime)
            throws CelValidationException {
        boolean cel = celDecides(expression, subject, asset, requestTime);

        assertThat(AccessCondition.compile(expression).test(subject, asset, requestTime))
                .as("%s for %s, %s at %s", expression, asset, subject, requestTime)
                .isEqualTo(cel);
        // Conditions that (almost) never hold, or always do, would prove little.
        Statistics.collect(cel);
        Statistics.coverage(coverage -> {
            coverage.check(true).percentage(p -> p >= 15);
            coverage.check(false).percentage(p -> p >= 15);
        });
    }

    private static boolean celDecides(
            String expression, SubjectAttributes subject, AssetAttributes asset, Instant requestTime)
            throws CelValidationException {
        Map<String, Object> variables = new HashMap<>();
        variables.put("subject.id", subject.id());
        variables.put("subject.kind", subject.kind());
        variables.put("subject.groups", List.copyOf(subject.groups()));
        variables.put("asset.id", asset.id().toString());
        variables.put("asset.externalId", asset.externalId());
        variables.put("asset.type", asset.type());
        variables.put("asset.tags", asset.tags());
        variables.put("asset.classification", asset.classification());
        variables.put("asset.attributes", cel(asset.attributes()));
        variables.put(
                "request.time",
                Timestamp.newBuilder()
                        .setSeconds(requestTime.getEpochSecond())
                        .setNanos(requestTime.getNano())
                        .build());
        try {
            return Boolean.TRUE.equals(
                    RUNTIME.createProgram(COMPILER.compile(expression).getAst()).eval(variables));
        } catch (CelEvaluationException error) {
            return false;
        }
    }

    /** A parsed JSON value as CEL's runtime takes it: longs, doubles, NullValue for null. */
    private static Object cel(Object json) {
        return switch (json) {
            case null -> NullValue.NULL_VALUE;
            case Integer i -> (long) i;
            case List<?> list -> {
                List<Object> values = new ArrayList<>();
                list.forEach(v -> values.add(cel(v)));
                yield values;
            }
            case Map<?, ?> map -> {
                Map<Object, Object> values = new LinkedHashMap<>();
                map.forEach((k, v) -> values.put(k, cel(v)));
                yield values;
            }
            default -> json;
        };
    }

    @Provide
    Arbitrary<String> conditions() {
        return ARBITRARIES.conditions();
    }

    @Provide
    Arbitrary<AssetAttributes> assets() {
        return ARBITRARIES.assets();
    }

    @Provide
    Arbitrary<SubjectAttributes> subjects() {
        return ARBITRARIES.subjects();
    }

    @Provide
    Arbitrary<Instant> times() {
        return ARBITRARIES.times();
    }
}
