package io.sextant.shared;

import tools.jackson.databind.JsonNode;

/**
 * A JSON number of a request as a {@code double}. Jackson reads an integer too long for a {@code
 * long} as a {@code BigInteger}, and its own {@code doubleValue()} then throws when the integer has
 * more digits than a {@code double} can hold (above 1.8 × 10³⁰⁸; the parser accepts up to 1,000
 * digits): an unchecked exception, a 500, where the caller's own check of the value would have
 * answered a 400. Here such an integer becomes an infinity, which every caller refuses as not
 * finite, like a decimal such as {@code 1e400} that Jackson already reads as one.
 */
public final class JsonNumbers {

    private JsonNumbers() {}

    /** The value of {@code number} (a numeric node), ±infinity beyond the range of a double. */
    public static double toDouble(JsonNode number) {
        return number.isBigInteger() ? number.bigIntegerValue().doubleValue() : number.doubleValue();
    }
}
