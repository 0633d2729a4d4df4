package io.sextant.access.condition;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The values a condition computes with and the two relations on them, shared by both evaluations so
 * they cannot drift: strings, numbers (Long for literals, Double for attributes), booleans, {@link
 * #NULL}, instants, lists, and {@link #STRUCTURED} for a JSON array or object in the attributes.
 */
final class Values {

    /** JSON null in the attributes, and CEL's {@code null} literal. */
    static final Object NULL = new Marker("null");

    /** A JSON array or object in the attributes: equal to no literal, ordered with nothing. */
    static final Object STRUCTURED = new Marker("structured");

    /** CEL's error value: a missing attribute, or an operation on a value of the wrong type. */
    static final Object ERROR = new Marker("error");

    private Values() {}

    /**
     * An attribute value as the condition sees it. Every JSON number becomes a double, as the SQL
     * form reads it ({@code cast(… as float8)}), so the two agree on numbers beyond 2^53.
     */
    static Object fromJson(@Nullable Object json) {
        return switch (json) {
            case null -> NULL;
            case String s -> s;
            case Boolean b -> b;
            case Number n -> n.doubleValue();
            default -> STRUCTURED;
        };
    }

    /** CEL's heterogeneous equality: values of different kinds are unequal, numbers compare by value. */
    static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a == STRUCTURED || b == STRUCTURED) {
            return false;
        }
        return Objects.equals(a, b);
    }

    /**
     * The order of two numbers, two strings (by code point, as {@code collate "C"} in SQL) or two
     * instants; {@code null} (CEL's "no matching overload" error) for anything else.
     */
    static @Nullable Integer compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            double l = x.doubleValue();
            double r = y.doubleValue();
            return l < r ? -1 : l > r ? 1 : 0;
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        return null;
    }

    /** Unicode code point order, which is UTF-8 byte order; String.compareTo orders UTF-16 units. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private record Marker(String name) {
        @Override
        public String toString() {
            return name;
        }
    }
}
