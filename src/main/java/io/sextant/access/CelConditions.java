package io.sextant.access;

import io.sextant.access.condition.AccessCondition;
import io.sextant.access.condition.AssetAttributes;
import io.sextant.access.condition.InvalidCondition;
import io.sextant.access.condition.SubjectAttributes;
import io.sextant.shared.access.AssetCondition;
import io.sextant.shared.access.AssetFacts;
import io.sextant.shared.access.SqlPredicate;
import io.sextant.shared.problem.InvalidInput;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Grant conditions in Common Expression Language, restricted to the fragment {@link AccessCondition}
 * compiles to SQL: refused when the grant is written if they leave it, and bound to a subject and
 * an instant when its policy is built.
 */
@Component
class CelConditions implements Conditions {

    @Override
    public void check(String expression) {
        compile(expression);
    }

    @Override
    public AssetCondition bind(
            String expression, String subjectId, String subjectKind, Set<String> groups, Instant now) {
        AccessCondition condition = compile(expression);
        SubjectAttributes subject = new SubjectAttributes(subjectId, subjectKind, groups);
        return new AssetCondition() {
            @Override
            public boolean test(AssetFacts asset) {
                return condition.test(
                        subject,
                        new AssetAttributes(
                                asset.id(),
                                asset.externalId(),
                                asset.type(),
                                asset.tags(),
                                asset.classification(),
                                new java.util.LinkedHashMap<String, @Nullable Object>(asset.attributes())),
                        now);
            }

            @Override
            public SqlPredicate toSql(String alias, String paramPrefix) {
                return condition.toSql(subject, now, alias, paramPrefix);
            }

            @Override
            public String describe() {
                return condition.expression();
            }
        };
    }

    private static AccessCondition compile(String expression) {
        try {
            return AccessCondition.compile(expression);
        } catch (InvalidCondition e) {
            throw new InvalidInput("scope.condition", String.valueOf(e.getMessage()));
        }
    }
}
