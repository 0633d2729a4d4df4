package io.sextant.access;

import io.sextant.shared.access.AssetCondition;
import java.time.Instant;
import java.util.Set;

/** Grant conditions: checked when a grant is written, bound to a subject when its policy is built. */
interface Conditions {

    /**
     * Checks that {@code expression} lies in the fragment that compiles to SQL.
     *
     * @throws io.sextant.shared.problem.InvalidInput naming the part that cannot be compiled
     */
    void check(String expression);

    /** The condition for one subject, with the subject's attributes and the request time bound. */
    AssetCondition bind(String expression, String subjectId, String subjectKind, Set<String> groups, Instant now);
}
