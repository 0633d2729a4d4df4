package io.sextant.workflow;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The CEL environment of guards, matches and actions: the variables {@code vars}, {@code event},
 * {@code command}, {@code caller}, {@code instance} (maps) and {@code now} (a timestamp), and the
 * conversion of values between plain Java (maps, lists, strings, longs, doubles, booleans,
 * instants) and CEL. One environment for checking and running, so an expression that passed the
 * static check evaluates against the same declarations.
 */
final class Expressions {

    /** What an expression must produce where it stands. */
    enum Result {
        BOOLEAN(SimpleType.BOOL, "a boolean"),
        TIMESTAMP(SimpleType.TIMESTAMP, "a timestamp"),
        VALUE(SimpleType.DYN, "a value");

        private final CelType type;
        private final String description;

        Result(CelType type, String description) {
            this.type = type;
            this.description = description;
        }
    }

    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    private static final MapType MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("vars", MAP)
            .addVar("event", MAP)
            .addVar("command", MAP)
            .addVar("caller", MAP)
            .addVar("instance", MAP)
            .addVar("now", SimpleType.TIMESTAMP)
            .build();

    // CEL's current evaluator, named explicitly: its "standard" builder is deprecated on the way to the planner
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.legacyCelRuntimeBuilder().setOptions(OPTIONS).build();

    private Expressions() {}

    /** An expression that does not compile, or compiles to the wrong type; the message says why. */
    static final class Invalid extends Exception {

        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** An expression that failed while it ran (a missing key, a wrong type, a division by zero). */
    static final class Failed extends Exception {

        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    /** An expression parsed, type-checked and ready to run. */
    record Compiled(String source, CelRuntime.Program program) {

        /** Its value under these bindings, converted back to plain Java. */
        Object evaluate(Map<String, Object> bindings) throws Failed {
            try {
                return fromCel(program.eval(bindings));
            } catch (CelEvaluationException e) {
                throw new Failed("`%s`: %s".formatted(source, e.getMessage()));
            }
        }
    }

    static Compiled compile(String source, Result result) throws Invalid {
        CelAbstractSyntaxTree ast;
        try {
            ast = COMPILER.compile(source).getAst();
        } catch (CelValidationException e) {
            throw new Invalid(e.getErrors().stream()
                    .map(issue ->
                            "column %d: %s".formatted(issue.getSourceLocation().getColumn() + 1, issue.getMessage()))
                    .collect(Collectors.joining("; ")));
        }
        CelType type = ast.getResultType();
        if (result != Result.VALUE && !type.equals(result.type) && !type.equals(SimpleType.DYN)) {
            throw new Invalid("must be %s, not %s".formatted(result.description, type.name()));
        }
        try {
            return new Compiled(source, RUNTIME.createProgram(ast));
        } catch (CelEvaluationException e) {
            throw new Invalid(String.valueOf(e.getMessage()));
        }
    }

    /** A plain Java value as CEL takes it: every integer a long, every decimal a double. */
    static Object toCel(Object value) {
        return switch (value) {
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger i -> i.longValue();
            case Float f -> f.doubleValue();
            case BigDecimal d -> d.doubleValue();
            case OffsetDateTime t -> t.toInstant();
            case UUID id -> id.toString();
            case Map<?, ?> map -> {
                Map<String, Object> converted = new LinkedHashMap<>();
                map.forEach((k, v) -> converted.put(String.valueOf(k), toCel(v)));
                yield converted;
            }
            case List<?> list -> list.stream().map(Expressions::toCel).toList();
            default -> value;
        };
    }

    /** A value CEL produced, as plain Java; a null is refused, as no workflow value may be absent. */
    static Object fromCel(Object value) throws Failed {
        return switch (value) {
            case Map<?, ?> map -> {
                Map<String, Object> converted = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    converted.put(String.valueOf(entry.getKey()), fromCel(entry.getValue()));
                }
                yield converted;
            }
            case List<?> list -> {
                List<Object> converted = new ArrayList<>(list.size());
                for (Object element : list) {
                    converted.add(fromCel(element));
                }
                yield converted;
            }
            case String s -> s;
            case Long l -> l;
            case Double d -> d;
            case Boolean b -> b;
            case Instant t -> t;
            case Duration d -> d.toString();
            default ->
                throw new Failed("a %s cannot be a workflow value"
                        .formatted(value.getClass().getSimpleName()));
        };
    }
}
