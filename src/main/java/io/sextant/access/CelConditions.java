package io.sextant.access;

import io.sextant.shared.access.AssetCondition;
import io.sextant.shared.problem.InvalidInput;
import java.time.Instant;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Grant conditions in Common Expression Language. */
@Component
class CelConditions implements Conditions {

    @Override
    public void check(String expression) {
        throw new InvalidInput("scope.condition", "conditions are not accepted yet");
    }

    @Override
    public AssetCondition bind(
            String expression, String subjectId, String subjectKind, Set<String> groups, Instant now) {
        throw new IllegalStateException("no condition is ever accepted");
    }
}
