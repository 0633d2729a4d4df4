package io.sextant.access.condition;

/**
 * A condition that cannot be accepted: not CEL, not well typed, or outside the fragment that
 * compiles to SQL. The message names the offending part and where it starts, for example
 * {@code `size(asset.tags)` at column 12: function size is not supported in access conditions}.
 */
public final class InvalidCondition extends RuntimeException {

    private final int column;

    InvalidCondition(int column, String message) {
        super(message);
        this.column = column;
    }

    /** Where the offending part starts, counted from 1 on its line. */
    public int column() {
        return column;
    }
}
