package io.sextant.access.condition;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random assets, subjects and conditions drawn from the whole fragment, for the properties that hold
 * the two evaluations (and CEL's own runtime) to the same answers. Strings come from segments that
 * hold LIKE's wildcards, backslashes, quotes, combining marks and characters on both sides of the
 * UTF-16 surrogate range, so escaping and collation mistakes show up.
 */
final class ConditionArbitraries {

    static final List<String> SEGMENTS = List.of(
            "", "a", "b", "A", "ab", "a_b", "a%b", "a\\b", "it's", "_", "%", "\\", "'", "é", "e\u0301", "ß", "Z",
            "truck", "north", "10", "9", " ", "\uFFFF", "\uE000", "😀", "𝔸");
    static final List<String> KEYS = List.of("k", "n", "s", "b", "z", "x y", "ünï");
    static final List<String> CLASSIFICATIONS = List.of("public", "internal", "confidential", "restricted");
    static final List<String> ZONES = List.of("UTC", "Europe/Paris", "America/Los_Angeles", "+05:30");

    private final List<String> segments;
    private final long largestInteger;
    private final boolean negativeZero;

    private ConditionArbitraries(List<String> segments, long largestInteger, boolean negativeZero) {
        this.segments = segments;
        this.largestInteger = largestInteger;
        this.negativeZero = negativeZero;
    }

    /** Every segment and integer, for the SQL property. */
    static ConditionArbitraries all() {
        return new ConditionArbitraries(SEGMENTS, Long.MAX_VALUE, true);
    }

    /**
     * Where the fragment knowingly departs from CEL's runtime left out: characters beyond U+FFFF (CEL
     * in Java orders strings by UTF-16 unit, the fragment and SQL by code point) and integers beyond
     * 2^53 in the attributes (read as doubles by the fragment and SQL, exactly by CEL), and -0.0
     * (CEL in Java holds {@code -0.0 == 0} false, IEEE 754, SQL and the fragment true).
     */
    static ConditionArbitraries celComparable() {
        return new ConditionArbitraries(
                SEGMENTS.stream()
                        .filter(s -> s.codePoints().allMatch(c -> c <= 0xFFFF))
                        .toList(),
                1L << 53,
                false);
    }

    // ---- data

    Arbitrary<String> strings() {
        return Arbitraries.of(segments).list().ofMinSize(1).ofMaxSize(3).map(s -> String.join("", s));
    }

    Arbitrary<AssetAttributes> assets() {
        return Combinators.combine(
                        strings(),
                        strings(),
                        strings().list().ofMaxSize(4),
                        Arbitraries.of(CLASSIFICATIONS),
                        attributes())
                .as((externalId, type, tags, classification, attributes) ->
                        new AssetAttributes(UUID.randomUUID(), externalId, type, tags, classification, attributes));
    }

    Arbitrary<List<AssetAttributes>> assetLists() {
        return assets().list().ofMaxSize(12).uniqueElements(AssetAttributes::externalId);
    }

    Arbitrary<Map<String, Object>> attributes() {
        return Arbitraries.subsetOf(KEYS).flatMap(keys -> {
            List<String> ordered = keys.stream().sorted().toList();
            return jsonValue().list().ofSize(ordered.size()).map(values -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < ordered.size(); i++) {
                    map.put(ordered.get(i), values.get(i));
                }
                return map;
            });
        });
    }

    /** A JSON value: the Java values of a parsed JSON document, null for JSON null. */
    Arbitrary<Object> jsonValue() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, strings().map(Object.class::cast)),
                        net.jqwik.api.Tuple.of(3, integers().map(Object.class::cast)),
                        net.jqwik.api.Tuple.of(3, doubles().map(Object.class::cast)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.of(true, false).map(Object.class::cast)),
                        net.jqwik.api.Tuple.of(
                                1, Arbitraries.of(List.of("a", 1), List.of()).map(Object.class::cast)),
                        net.jqwik.api.Tuple.of(
                                1, Arbitraries.just(Map.of("a", "b")).map(Object.class::cast)))
                .injectNull(0.1);
    }

    Arbitrary<Long> integers() {
        return Arbitraries.oneOf(
                        Arbitraries.longs().between(-12, 12),
                        Arbitraries.of(1L << 53, (1L << 53) + 1, -(1L << 53), Long.MAX_VALUE, 8L, 9L, 10L))
                .filter(i -> Math.abs(i) <= largestInteger);
    }

    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                        Arbitraries.of(
                                0.0, -0.0, 0.1, 2.5, -2.5, 1.0 / 3, 8.0, 9.5, 1e300, -1e-300, 9007199254740992.0),
                        Arbitraries.doubles().between(-12, 12).ofScale(2))
                .filter(d -> negativeZero || Double.doubleToRawLongBits(d) != Double.doubleToRawLongBits(-0.0));
    }

    Arbitrary<SubjectAttributes> subjects() {
        return Combinators.combine(
                        strings(),
                        Arbitraries.of("user", "service"),
                        strings().set().ofMaxSize(3))
                .as(SubjectAttributes::new);
    }

    Arbitrary<Instant> times() {
        return Arbitraries.longs()
                .between(
                        Instant.parse("2025-06-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("2026-06-01T00:00:00Z").getEpochSecond())
                .map(Instant::ofEpochSecond);
    }

    // ---- conditions

    Arbitrary<String> conditions() {
        return condition(3);
    }

    private Arbitrary<String> condition(int depth) {
        if (depth == 0) {
            return atom();
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> condition(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, atom()),
                net.jqwik.api.Tuple.of(2, Combinators.combine(inner, inner).as((a, b) -> "(" + a + " && " + b + ")")),
                net.jqwik.api.Tuple.of(2, Combinators.combine(inner, inner).as((a, b) -> "(" + a + " || " + b + ")")),
                net.jqwik.api.Tuple.of(1, inner.map(a -> "!(" + a + ")")));
    }

    private Arbitrary<String> atom() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, stringComparison(assetString())),
                net.jqwik.api.Tuple.of(4, attributeComparison()),
                net.jqwik.api.Tuple.of(2, membership()),
                net.jqwik.api.Tuple.of(2, textTest(assetString())),
                net.jqwik.api.Tuple.of(
                        1,
                        attribute()
                                .map(a -> "has(" + a.replace("['", ".").replace("']", "") + ")")
                                .filter(h -> !h.contains(" ") && !h.contains("ü"))),
                net.jqwik.api.Tuple.of(2, anyTag()),
                net.jqwik.api.Tuple.of(1, requestOrSubject()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("true", "false")));
    }

    /** An asset value read as a string (attributes may hold anything). */
    private Arbitrary<String> assetString() {
        return Arbitraries.oneOf(
                Arbitraries.of("asset.type", "asset.externalId", "asset.classification", "asset.id"), attribute());
    }

    private Arbitrary<String> attribute() {
        return Arbitraries.of(KEYS).flatMap(key -> {
            boolean identifier = key.chars().allMatch(c -> Character.isLetter(c) && c < 128);
            return identifier
                    ? Arbitraries.of("asset.attributes." + key, "asset.attributes['" + key + "']")
                    : Arbitraries.just("asset.attributes['" + key + "']");
        });
    }

    private Arbitrary<String> stringComparison(Arbitrary<String> left) {
        Arbitrary<String> constant = Arbitraries.oneOf(
                strings().map(ConditionArbitraries::quote), Arbitraries.of("subject.id", "subject.kind"));
        return Combinators.combine(left, operator(), constant, Arbitraries.of(true, false))
                .as((l, op, c, flip) -> flip ? c + " " + op + " " + l : l + " " + op + " " + c);
    }

    private Arbitrary<String> attributeComparison() {
        Arbitrary<String> number = Arbitraries.oneOf(
                integers().filter(i -> Math.abs(i) <= 1L << 53).map(String::valueOf),
                doubles().map(ConditionArbitraries::doubleLiteral));
        Arbitrary<String> numeric =
                Combinators.combine(attribute(), operator(), number).as((a, op, n) -> a + " " + op + " " + n);
        Arbitrary<String> other = Combinators.combine(
                        attribute(), Arbitraries.of("==", "!="), Arbitraries.of("true", "false", "null"))
                .as((a, op, v) -> a + " " + op + " " + v);
        return Arbitraries.oneOf(numeric, other);
    }

    private Arbitrary<String> membership() {
        Arbitrary<String> string =
                Arbitraries.oneOf(strings().map(ConditionArbitraries::quote), Arbitraries.just("subject.id"));
        Arbitrary<String> literal = Arbitraries.oneOf(
                string,
                integers().filter(i -> Math.abs(i) <= 12).map(String::valueOf),
                doubles().filter(d -> Math.abs(d) < 100).map(ConditionArbitraries::doubleLiteral),
                Arbitraries.of("true", "null"));
        Arbitrary<String> strings = string.list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]");
        Arbitrary<String> any = literal.list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]");
        Arbitrary<String> column = Arbitraries.of("asset.type", "asset.externalId", "asset.classification", "asset.id");
        return Arbitraries.oneOf(
                Combinators.combine(column, strings).as((a, l) -> a + " in " + l),
                Combinators.combine(attribute(), any).as((a, l) -> a + " in " + l),
                strings().map(s -> quote(s) + " in asset.tags"),
                Arbitraries.of("subject.id in asset.tags", "asset.type in subject.groups"),
                attribute().map(a -> a + " in subject.groups"));
    }

    private Arbitrary<String> textTest(Arbitrary<String> receiver) {
        return Combinators.combine(
                        receiver,
                        Arbitraries.of("startsWith", "endsWith", "contains"),
                        Arbitraries.oneOf(strings().map(ConditionArbitraries::quote), Arbitraries.just("subject.id")))
                .as((r, f, a) -> r + "." + f + "(" + a + ")");
    }

    private Arbitrary<String> anyTag() {
        Arbitrary<String> onTag = Arbitraries.oneOf(
                stringComparison(Arbitraries.just("t")),
                textTest(Arbitraries.just("t")),
                strings()
                        .list()
                        .ofMaxSize(2)
                        .map(l -> "t in ["
                                + l.stream().map(ConditionArbitraries::quote).collect(Collectors.joining(", ")) + "]"));
        Arbitrary<String> predicate = Arbitraries.oneOf(
                onTag,
                Combinators.combine(onTag, onTag).as((a, b) -> a + " && " + b),
                Combinators.combine(onTag, attributeComparison()).as((a, b) -> a + " || " + b),
                Combinators.combine(onTag, attributeComparison()).as((a, b) -> a + " && " + b));
        return predicate.map(p -> "asset.tags.exists(t, " + p + ")");
    }

    private Arbitrary<String> requestOrSubject() {
        return Arbitraries.oneOf(
                strings().map(s -> quote(s) + " in subject.groups"),
                Combinators.combine(
                                Arbitraries.of(
                                        "getHours",
                                        "getDayOfWeek",
                                        "getMonth",
                                        "getDate",
                                        "getDayOfYear",
                                        "getFullYear",
                                        "getMinutes",
                                        "getDayOfMonth"),
                                Arbitraries.of(ZONES),
                                operator(),
                                Arbitraries.integers().between(0, 40))
                        .as((f, z, op, n) -> "request.time." + f + "('" + z + "') " + op + " " + n),
                Combinators.combine(operator(), times())
                        .as((op, t) -> "request.time " + op + " timestamp('" + t + "')"),
                Arbitraries.of("subject.kind == 'user'", "subject.id < 'b'"));
    }

    private static Arbitrary<String> operator() {
        return Arbitraries.of("==", "!=", "<", "<=", ">", ">=");
    }

    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String doubleLiteral(double d) {
        String text = Double.toString(d);
        return text.contains(".") || text.contains("E") ? text : text + ".0";
    }
}
