package io.sextant.shared;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The versions of a resource a conditional change may apply to: the strong entity tags of an
 * {@code If-Match} header (RFC 9110 §13.1.1), or any version for {@code If-Match: *}, which asks
 * only that the resource exist. A service checks the version it read against them and then writes
 * on condition that the version it read is still the stored one.
 */
public final class ExpectedVersions {

    private static final ExpectedVersions ANY = new ExpectedVersions(true, new TreeSet<>());

    private final boolean any;
    private final SortedSet<Long> versions;

    private ExpectedVersions(boolean any, SortedSet<Long> versions) {
        this.any = any;
        this.versions = versions;
    }

    /** Exactly {@code version}. */
    public static ExpectedVersions of(long version) {
        return new ExpectedVersions(false, new TreeSet<>(Set.of(version)));
    }

    /** Any one of {@code versions}; none admits nothing. */
    public static ExpectedVersions oneOf(Set<Long> versions) {
        return new ExpectedVersions(false, new TreeSet<>(versions));
    }

    /** Any version of a resource that exists. */
    public static ExpectedVersions any() {
        return ANY;
    }

    public boolean admits(long version) {
        return any || versions.contains(version);
    }

    /** The versions for messages ("at version 5, not …"): {@code *}, {@code 3} or {@code one of 3, 4}. */
    @Override
    public String toString() {
        if (any) {
            return "*";
        }
        String listed = versions.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return versions.size() == 1 ? listed : "one of " + listed;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExpectedVersions that && any == that.any && versions.equals(that.versions);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(any) * 31 + versions.hashCode();
    }
}
