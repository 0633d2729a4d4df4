package io.sextant.access.condition;

import java.util.Set;

/** What a condition may read of the subject a grant is evaluated for: {@code subject.id}, {@code .kind}, {@code .groups}. */
public record SubjectAttributes(String id, String kind, Set<String> groups) {

    public SubjectAttributes {
        groups = Set.copyOf(groups);
    }
}
