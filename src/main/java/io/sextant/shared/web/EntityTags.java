package io.sextant.shared.web;

import org.jspecify.annotations.Nullable;

/**
 * Strong entity tags derived from a resource's version counter, and the If-Match rules for
 * updates: a missing header is a 428 (so no client overwrites blindly), a stale one a 412.
 */
public final class EntityTags {

    private EntityTags() {}

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** The version an If-Match header requires; 428 when absent, 412 when it cannot match. */
    public static long requiredVersion(@Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw Problems.preconditionRequired("this update requires an If-Match header with the resource's ETag");
        }
        return parse(ifMatch);
    }

    /** The version an optional If-Match header requires, or {@code null} when the header is absent. */
    public static @Nullable Long optionalVersion(@Nullable String ifMatch) {
        return ifMatch == null || ifMatch.isBlank() ? null : parse(ifMatch);
    }

    public static boolean matches(@Nullable String ifNoneMatch, long version) {
        if (ifNoneMatch == null) {
            return false;
        }
        String current = of(version);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(current) || tag.equals("W/" + current)) {
                return true;
            }
        }
        return false;
    }

    private static long parse(String ifMatch) {
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            throw Problems.preconditionFailed("If-Match needs a strong entity tag");
        }
        if (tag.length() < 3 || !tag.startsWith("\"") || !tag.endsWith("\"")) {
            throw Problems.preconditionFailed("If-Match " + tag + " is not an entity tag of this resource");
        }
        try {
            return Long.parseLong(tag.substring(1, tag.length() - 1));
        } catch (NumberFormatException e) {
            throw Problems.preconditionFailed("If-Match " + tag + " is not an entity tag of this resource");
        }
    }
}
