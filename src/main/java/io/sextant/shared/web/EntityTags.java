package io.sextant.shared.web;

import io.sextant.shared.ExpectedVersions;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Strong entity tags derived from a resource's version counter, and the If-Match rules for
 * updates: a missing header is a 428 (so no client overwrites blindly), one that names no current
 * version a 412. If-Match takes {@code *} or a list of entity tags, compared strongly (RFC 9110
 * §13.1.1 and §8.8.3.2): weak tags never match.
 */
public final class EntityTags {

    private EntityTags() {}

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** The versions an If-Match header admits; 428 when absent, 412 when it cannot match any. */
    public static ExpectedVersions required(@Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw Problems.preconditionRequired("this update requires an If-Match header with the resource's ETag");
        }
        return parse(ifMatch);
    }

    /** The versions an optional If-Match header admits, or {@code null} when the header is absent. */
    public static @Nullable ExpectedVersions optional(@Nullable String ifMatch) {
        return ifMatch == null || ifMatch.isBlank() ? null : parse(ifMatch);
    }

    /** Whether If-None-Match names the current version (weak comparison, as for a conditional read). */
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

    /**
     * Reads {@code "*" / #entity-tag}: elements separated by commas and optional white space,
     * empty elements ignored. Each tag is {@code [W/] DQUOTE *etagc DQUOTE}; a strong one that is
     * a version as {@link #of} writes it is admitted, any other can match nothing.
     */
    private static ExpectedVersions parse(String ifMatch) {
        String value = ifMatch.strip();
        if (value.equals("*")) {
            return ExpectedVersions.any();
        }
        Set<Long> versions = new HashSet<>();
        boolean weak = false;
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            boolean isWeak = value.startsWith("W/", i);
            int open = isWeak ? i + 2 : i;
            if (open >= n || value.charAt(open) != '"') {
                throw malformed(value);
            }
            int close = open + 1;
            while (close < n && isEtagc(value.charAt(close))) {
                close++;
            }
            if (close >= n || value.charAt(close) != '"') {
                throw malformed(value);
            }
            int next = close + 1;
            while (next < n && (value.charAt(next) == ' ' || value.charAt(next) == '\t')) {
                next++;
            }
            if (next < n && value.charAt(next) != ',') {
                throw malformed(value);
            }
            if (isWeak) {
                weak = true;
            } else {
                version(value.substring(open + 1, close)).ifPresent(versions::add);
            }
            i = next;
        }
        if (versions.isEmpty()) {
            throw weak
                    ? Problems.preconditionFailed("If-Match needs a strong entity tag")
                    : Problems.preconditionFailed(
                            "If-Match " + abbreviated(value) + " names no entity tag of this resource");
        }
        return ExpectedVersions.oneOf(versions);
    }

    /** etagc = %x21 / %x23-7E / obs-text: anything visible but the double quote. */
    private static boolean isEtagc(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
    }

    private static Optional<Long> version(String opaque) {
        if (opaque.isEmpty() || opaque.length() > 19 || !opaque.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return Optional.empty();
        }
        try {
            long version = Long.parseLong(opaque);
            return Long.toString(version).equals(opaque) ? Optional.of(version) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static RuntimeException malformed(String value) {
        return Problems.preconditionFailed("If-Match " + abbreviated(value) + " is not \"*\" or a list of entity tags");
    }

    private static String abbreviated(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "…";
    }
}
