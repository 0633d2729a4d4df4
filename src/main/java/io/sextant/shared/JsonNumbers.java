package io.sextant.shared;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * JSON numbers of a request, which Sextant compares as doubles (in access conditions, in SQL as
 * {@code float8}). Jackson reads an integer too long for a {@code long} as a {@code BigInteger},
 * and its own {@code doubleValue()} then throws when the integer has more digits than a double can
 * hold (above 1.8 × 10³⁰⁸; the parser accepts up to 1,000 digits): an unchecked exception, a 500,
 * where the caller's own check of the value would have answered a 400. {@link #toDouble} makes such
 * an integer an infinity, which every caller refuses as not finite, like a decimal such as {@code
 * 1e400} that Jackson already reads as one; {@link #firstBeyondDouble} finds one in free JSON.
 */
public final class JsonNumbers {

    /** Why a number is refused where it enters. */
    public static final String REASON = "must be a number within the range of a double (about ±1.8e308)";

    private JsonNumbers() {}

    /** The value of {@code number} (a numeric node), ±infinity beyond the range of a double. */
    public static double toDouble(JsonNode number) {
        return number.isBigInteger() ? number.bigIntegerValue().doubleValue() : number.doubleValue();
    }

    /** The reason for a leaf of free JSON (a number, or a tree's number node) beyond a double, or null. */
    public static @Nullable String fault(Object leaf) {
        boolean beyond = switch (leaf) {
            case JsonNode node -> node.isNumber() && Double.isInfinite(toDouble(node));
            case BigInteger integer -> Double.isInfinite(integer.doubleValue());
            case BigDecimal decimal -> Double.isInfinite(decimal.doubleValue());
            case Double number -> Double.isInfinite(number);
            case Float number -> Float.isInfinite(number);
            default -> false;
        };
        return beyond ? REASON : null;
    }

    /**
     * The path of the first number in {@code value} (a JSON tree, or maps, lists and scalars as
     * Jackson reads them) beyond the range of a double, relative to {@code path}; null if none is.
     */
    public static @Nullable String firstBeyondDouble(@Nullable Object value, String path) {
        JsonPaths.Fault fault = JsonPaths.first(value, path, name -> null, JsonNumbers::fault);
        return fault == null ? null : fault.path();
    }
}
