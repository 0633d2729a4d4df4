package io.sextant.access;

import io.sextant.shared.access.AccessPolicy;
import io.sextant.shared.access.AssetFacts;
import io.sextant.shared.access.EffectiveGrant;
import io.sextant.shared.access.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The decision for one subject, action and resource, with its reasons: pure, over the same scopes
 * the checks and queries evaluate, so an explanation says what enforcement does.
 */
final class Explainer {

    private Explainer() {}

    /**
     * What the subject's policy decides.
     *
     * @param asset the asset the request is about, or null
     * @param latest where the asset was last seen, when the question is about the asset itself
     * @param point the location of a position or event the request is about, or null
     * @param dataTime the data time of that position or event, or null
     * @param at when the subject would act
     */
    static Explanation explain(
            AccessPolicy policy,
            String action,
            @Nullable AssetFacts asset,
            double @Nullable [] latest,
            double @Nullable [] point,
            @Nullable Instant dataTime,
            Instant at) {
        List<Explanation.Verdict> verdicts = new ArrayList<>();
        Explanation.Verdict allowedBy = null;
        for (EffectiveGrant grant : policy.grants()) {
            List<String> reasons = reasons(grant, action, asset, latest, point, dataTime, at);
            Explanation.Verdict verdict = new Explanation.Verdict(grant.id(), grant.role(), reasons.isEmpty(), reasons);
            verdicts.add(verdict);
            if (allowedBy == null && reasons.isEmpty()) {
                allowedBy = verdict;
            }
        }
        return new Explanation(
                allowedBy != null ? "allow" : "deny", policy.subjectId(), action, at, allowedBy, verdicts);
    }

    static List<String> reasons(
            EffectiveGrant grant,
            String action,
            @Nullable AssetFacts asset,
            double @Nullable [] latest,
            double @Nullable [] point,
            @Nullable Instant dataTime,
            Instant at) {
        List<String> reasons = new ArrayList<>();
        if (!grant.permissions().contains(action)) {
            reasons.add("the role " + grant.role() + " does not hold " + action);
        }
        String notInForce = grant.whyNotInForce(at);
        if (notInForce != null) {
            reasons.add(notInForce);
        }
        Scope scope = grant.scope();
        if (point != null) {
            if (asset != null) {
                reasons.addAll(scope.whyNotAsset(asset));
            }
            if (!scope.reachesPoint(point[0], point[1])) {
                reasons.add("the point " + point[0] + "," + point[1] + " lies outside the region (" + describe(scope)
                        + ")");
            }
        } else if (asset != null) {
            reasons.addAll(scope.whyNotAssetObject(asset, latest));
        }
        if (dataTime != null) {
            String notData = scope.whyNotDataTime(dataTime, at);
            if (notData != null) {
                reasons.add(notData);
            }
        }
        return reasons;
    }

    private static String describe(Scope scope) {
        return scope.region() == null ? "none" : scope.region().describe();
    }
}
