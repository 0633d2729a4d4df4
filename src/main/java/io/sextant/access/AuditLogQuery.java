package io.sextant.access;

import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a search of the audit log asks for; absent fields place no condition. {@code action} is an
 * exact action or a prefix ending in {@code .*} ({@code grant.*}); {@code from} is inclusive, {@code
 * to} exclusive.
 */
public record AuditLogQuery(
        @Nullable String actor,
        @Nullable String action,
        @Nullable String resourceType,
        @Nullable String resourceId,
        @Nullable String outcome,
        @Nullable Instant from,
        @Nullable Instant to) {

    private static final Pattern ACTION = Pattern.compile("^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*(\\.\\*)?$");
    private static final Set<String> OUTCOMES = Set.of(AuditLogEntry.CHANGED, AuditLogEntry.DENIED);
    private static final int MAX_LENGTH = 300;

    /** The query, or {@code InvalidInput} naming every filter that is wrong. */
    public AuditLogQuery {
        List<FieldError> errors = new ArrayList<>();
        checkLength("actor", actor, errors);
        checkLength("resourceType", resourceType, errors);
        checkLength("resourceId", resourceId, errors);
        if (action != null && (action.length() > 100 || !ACTION.matcher(action).matches())) {
            errors.add(new FieldError(
                    "action", "must be an action such as 'api-key.revoked', or a prefix such as 'grant.*'"));
        }
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            errors.add(new FieldError("outcome", "must be 'changed' or 'denied'"));
        }
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(new FieldError("to", "must be after from"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
    }

    /** The action prefix (with its dot) when {@code action} ends in {@code .*}, else null. */
    @Nullable
    String actionPrefix() {
        return action != null && action.endsWith(".*") ? action.substring(0, action.length() - 1) : null;
    }

    /** The exact action asked for, null when none or a prefix. */
    @Nullable
    String exactAction() {
        return action != null && !action.endsWith(".*") ? action : null;
    }

    private static void checkLength(String field, @Nullable String value, List<FieldError> errors) {
        if (value != null && (value.isEmpty() || value.length() > MAX_LENGTH)) {
            errors.add(new FieldError(field, "must be 1-" + MAX_LENGTH + " characters"));
        }
    }
}
