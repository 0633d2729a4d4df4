package io.sextant.tracking.protocol;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Unit conversions and number rules the tracker protocols share. */
final class Readings {

    /** One knot is one nautical mile (1852 m) per hour. */
    static final double KNOT = 1852.0 / 3600.0;

    static final double KILOMETER_PER_HOUR = 1000.0 / 3600.0;

    /** A decimal number as apps write it; stricter than {@link Double#parseDouble} (no NaN, hex or suffixes). */
    static final Pattern NUMBER = Pattern.compile("^-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?$");

    private Readings() {}

    /** Apps report an unknown speed, heading or accuracy as a negative number (usually -1). */
    static @Nullable Double known(@Nullable Double value) {
        return value == null || value < 0 ? null : value;
    }

    /** A known heading in [0, 360): some devices say 360 for north. */
    static @Nullable Double heading(@Nullable Double degrees) {
        Double known = known(degrees);
        return known == null ? null : known % 360;
    }
}
