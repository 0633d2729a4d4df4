package io.sextant.access;

import io.sextant.asset.Assets;
import io.sextant.identity.Permission;
import io.sextant.identity.PrincipalPolicies;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.AccessPolicy;
import io.sextant.shared.access.AssetFacts;
import io.sextant.shared.access.LatestLocations;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Explanations: what a subject's policy decides for an action on a resource, and why. */
@Service
@Transactional(readOnly = true)
public class AccessExplanations {

    private final PrincipalPolicies principals;
    private final Assets assets;
    private final LatestLocations latest;
    private final Clock clock;

    AccessExplanations(PrincipalPolicies principals, Assets assets, LatestLocations latest, Clock clock) {
        this.principals = principals;
        this.assets = assets;
        this.latest = latest;
        this.clock = clock;
    }

    /** What is asked: who, what, about which resource, and when. */
    public record Question(
            String subject,
            @Nullable Set<String> groups,
            String action,
            @Nullable UUID assetId,
            double @Nullable [] point,
            @Nullable Instant time,
            @Nullable Instant at) {}

    @RequiresPermission("access:manage")
    public Explanation explain(Question question) {
        UUID tenant = TenantContext.require();
        if (Permission.fromAuthority(question.action()).isEmpty()) {
            throw new InvalidInput(
                    "action",
                    "'" + question.action() + "' is not a permission; permissions are "
                            + Arrays.stream(Permission.values())
                                    .map(Permission::authority)
                                    .toList());
        }
        double[] point = question.point();
        if (point != null
                && (point.length != 2
                        || !(point[0] >= -180 && point[0] <= 180)
                        || !(point[1] >= -90 && point[1] <= 90))) {
            throw new InvalidInput("point", "must be [lon, lat] with lon in [-180, 180] and lat in [-90, 90]");
        }
        if (question.time() != null && point == null) {
            throw new InvalidInput("time", "a data time is about a position or event: give its point too");
        }
        Set<String> groups = question.groups() == null ? Set.of() : question.groups();
        AccessPolicy policy = principals
                .policyOfSubject(tenant, question.subject(), groups)
                .orElseThrow(() -> new NotFound("subject", question.subject()));
        AssetFacts asset = null;
        double[] last = null;
        UUID assetId = question.assetId();
        if (assetId != null) {
            asset = assets.facts(assetId).orElseThrow(() -> new NotFound("asset", assetId));
            last = latest.locate(assetId);
        }
        Instant at = question.at() == null ? clock.instant() : question.at();
        return Explainer.explain(policy, question.action(), asset, last, point, question.time(), at);
    }
}
