package io.sextant.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Why a subject may or may not take an action on a resource: the decision, the grant that allowed
 * it, and for every grant of the subject what held and what did not.
 *
 * @param decision {@code allow} or {@code deny}
 * @param allowedBy the first grant that allows, or null when none does
 * @param grants every grant of the subject (its own roles first), each with its reasons
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(
        String decision,
        String subject,
        String action,
        Instant at,
        @Nullable Verdict allowedBy,
        List<Verdict> grants) {

    /**
     * One grant's part.
     *
     * @param grant the grant's id, or {@code role:<name>} / {@code api-key} for the subject's own
     * @param allows whether this grant alone allows the action on the resource
     * @param reasons each part that does not hold, in words; empty when it allows
     */
    public record Verdict(String grant, String role, boolean allows, List<String> reasons) {}
}
