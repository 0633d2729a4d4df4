package io.sextant.access.web;

import io.sextant.access.AccessExplanations;
import io.sextant.access.Explanation;
import io.sextant.shared.problem.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/access")
@Tag(name = "Grants")
class ExplainController {

    private final AccessExplanations explanations;

    ExplainController(AccessExplanations explanations) {
        this.explanations = explanations;
    }

    @PostMapping("/explain")
    @PreAuthorize("hasAuthority('access:manage')")
    @Operation(
            operationId = "explainAccess",
            summary = "Whether a subject may take an action on an asset, or on a position or event at a point and"
                    + " data time; which grant allows it, or why each grant does not")
    Explanation explain(@RequestBody ExplainRequest request) {
        String subject = request.subject();
        String action = request.action();
        if (subject == null || action == null) {
            throw new InvalidInput(subject == null ? "subject" : "action", "is required");
        }
        List<Double> point = request.point();
        double[] coordinates = null;
        if (point != null) {
            if (point.size() != 2 || point.get(0) == null || point.get(1) == null) {
                throw new InvalidInput("point", "must be [lon, lat]");
            }
            coordinates = new double[] {point.get(0), point.get(1)};
        }
        return explanations.explain(new AccessExplanations.Question(
                subject, request.groups(), action, request.assetId(), coordinates, request.time(), request.at()));
    }

    record ExplainRequest(
            @Schema(
                    description =
                            "user:<id>, service:<client id>, api-key:<id>, group:<name> or external:<issuer>#<sub>")
            @Nullable
            String subject,

            @Schema(description = "For an external subject: the groups its token carries") @Nullable
            Set<String> groups,

            @Schema(description = "A permission", example = "positions:read") @Nullable
            String action,

            @Schema(description = "The asset the action is about") @Nullable
            UUID assetId,

            @Schema(description = "[lon, lat] of the position or event the action is about") @Nullable
            List<Double> point,

            @Schema(description = "The data time of that position or event") @Nullable
            Instant time,

            @Schema(description = "When the subject would act; now if absent") @Nullable
            Instant at) {}
}
