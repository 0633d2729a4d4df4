package io.sextant.shared.web;

/** The page size a list request asked for, checked against the explicit maximum. */
public final class PageLimits {

    public static final int DEFAULT = 50;
    public static final int MAX = 500;

    private PageLimits() {}

    public static int check(int requested) {
        if (requested < 1 || requested > MAX) {
            throw Problems.invalid("limit", "must be between 1 and " + MAX + " (was " + requested + ")");
        }
        return requested;
    }
}
