package io.sextant.geofencing.web;

import io.sextant.geofencing.AssetRuleBook;
import io.sextant.geofencing.AssetRules;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/asset-rules")
@Tag(name = "Asset rules", description = "Stale assets, speed limits by asset type, proximity between assets")
class AssetRulesController {

    private final AssetRuleBook rules;

    AssetRulesController(AssetRuleBook rules) {
        this.rules = rules;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('zones:read')")
    @Operation(operationId = "getAssetRules", summary = "The tenant's asset rules")
    AssetRules get() {
        return rules.current();
    }

    @PutMapping
    @PreAuthorize("hasAuthority('zones:write')")
    @Operation(
            operationId = "replaceAssetRules",
            summary = "Replace the tenant's asset rules; omitted fields take their defaults (no rule)")
    AssetRules replace(@RequestBody RulesRequest request) {
        return rules.replace(request.toRules());
    }

    /** The body of a rules change; every field optional. */
    record RulesRequest(
            @Nullable Duration staleAfter,
            @Nullable Map<String, Double> speedLimitsKmh,
            @Nullable Double speedToleranceKmh,
            @Nullable Duration speedMinDuration,
            @Nullable List<ProximityRequest> proximity) {

        AssetRules toRules() {
            return new AssetRules(
                    staleAfter,
                    speedLimitsKmh == null ? Map.of() : speedLimitsKmh,
                    speedToleranceKmh == null ? 0 : speedToleranceKmh,
                    speedMinDuration == null ? Duration.ZERO : speedMinDuration,
                    proximity == null
                            ? List.of()
                            : proximity.stream().map(ProximityRequest::toRule).toList());
        }
    }

    record ProximityRequest(
            @Nullable String name,
            @Nullable Double distanceMeters,
            @Nullable Double marginMeters,
            @Nullable SelectorRequest first,
            @Nullable SelectorRequest second) {

        AssetRules.Proximity toRule() {
            return new AssetRules.Proximity(
                    name == null ? "" : name,
                    distanceMeters == null ? 0 : distanceMeters,
                    marginMeters == null ? 0 : marginMeters,
                    first == null ? AssetRules.AssetSelector.ANY : first.toSelector(),
                    second == null ? AssetRules.AssetSelector.ANY : second.toSelector());
        }
    }

    record SelectorRequest(
            @Nullable List<String> types, @Nullable List<String> tags) {
        AssetRules.AssetSelector toSelector() {
            return new AssetRules.AssetSelector(types == null ? List.of() : types, tags == null ? List.of() : tags);
        }
    }
}
