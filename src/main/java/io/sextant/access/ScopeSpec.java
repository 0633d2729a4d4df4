package io.sextant.access;

import io.sextant.asset.Classification;
import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.zone.ZoneSchedule;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Geometry;
import tools.jackson.databind.JsonNode;

/**
 * A grant's scope as the API writes it, checked: every member is optional and each one given
 * narrows the grant (all must hold).
 *
 * <pre>{@code
 * {"region": {"zones": ["<zone id>"], "zoneTags": ["north"], "polygon": {GeoJSON Polygon}},
 *  "schedule": {"timeZone": "Europe/Berlin", "windows": [{"days": ["MON"], "from": "08:00", "to": "16:00"}]},
 *  "dataWindow": "PT24H", "dataDuringShifts": true, "clearance": "confidential",
 *  "assetTags": ["fleet-a"], "assets": ["<asset id>"], "zoneTags": ["public"],
 *  "condition": "asset.type == 'truck'"}
 * }</pre>
 *
 * @param regionZones zones, by id, whose union (with the other region parts) is the region
 * @param regionZoneTags zones, by tag, that belong to the region
 * @param polygon an inline Polygon or MultiPolygon of the region
 * @param schedule when the subject may act under the grant
 * @param dataWindow how far back data may reach, sliding with the clock
 * @param dataDuringShifts only data recorded while {@code schedule} was active
 * @param clearance the most sensitive classification reached
 */
record ScopeSpec(
        Set<UUID> regionZones,
        Set<String> regionZoneTags,
        @Nullable Geometry polygon,
        @Nullable ZoneSchedule schedule,
        @Nullable Duration dataWindow,
        boolean dataDuringShifts,
        @Nullable Classification clearance,
        Set<String> assetTags,
        Set<UUID> assets,
        Set<String> zoneTags,
        @Nullable String condition) {

    static final ScopeSpec NONE =
            new ScopeSpec(Set.of(), Set.of(), null, null, null, false, null, Set.of(), Set.of(), Set.of(), null);

    static final int MAX_MEMBERS = 100;
    static final int MAX_POLYGON_VERTICES = 10_000;
    static final int MAX_CONDITION_LENGTH = 1_000;
    static final Duration MAX_DATA_WINDOW = Duration.ofDays(3660);

    private static final Set<String> MEMBERS = Set.of(
            "region",
            "schedule",
            "dataWindow",
            "dataDuringShifts",
            "clearance",
            "assetTags",
            "assets",
            "zoneTags",
            "condition");

    ScopeSpec {
        regionZones = Set.copyOf(regionZones);
        regionZoneTags = Set.copyOf(regionZoneTags);
        assetTags = Set.copyOf(assetTags);
        assets = Set.copyOf(assets);
        zoneTags = Set.copyOf(zoneTags);
    }

    boolean hasRegion() {
        return !regionZones.isEmpty() || !regionZoneTags.isEmpty() || polygon != null;
    }

    /**
     * Reads {@code scope} (absent or null: no scope).
     *
     * @throws InvalidInput naming every fault with its path under {@code scope}
     */
    static ScopeSpec read(@Nullable JsonNode scope) {
        if (scope == null || scope.isNull() || scope.isMissingNode()) {
            return NONE;
        }
        List<FieldError> errors = new ArrayList<>();
        if (!scope.isObject()) {
            throw new InvalidInput("scope", "must be an object");
        }
        for (Iterator<String> names = scope.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                errors.add(new FieldError("scope." + name, "is not a scope member; members are " + sorted(MEMBERS)));
            }
        }
        Set<UUID> regionZones = Set.of();
        Set<String> regionZoneTags = Set.of();
        Geometry polygon = null;
        JsonNode region = scope.path("region");
        if (!region.isMissingNode() && !region.isNull()) {
            if (!region.isObject()) {
                errors.add(new FieldError("scope.region", "must be an object {\"zones\", \"zoneTags\", \"polygon\"}"));
            } else {
                for (Iterator<String> names = region.propertyNames().iterator(); names.hasNext(); ) {
                    String name = names.next();
                    if (!Set.of("zones", "zoneTags", "polygon").contains(name)) {
                        errors.add(new FieldError(
                                "scope.region." + name,
                                "is not a region member; members are" + " zones, zoneTags and polygon"));
                    }
                }
                regionZones = set(region.path("zones"), "scope.region.zones", ScopeSpec::uuid, errors);
                regionZoneTags = set(region.path("zoneTags"), "scope.region.zoneTags", ScopeSpec::tag, errors);
                JsonNode geometry = region.path("polygon");
                if (!geometry.isMissingNode() && !geometry.isNull()) {
                    try {
                        polygon = GeoJsonGeometries.polygonal(geometry, "scope.region.polygon", MAX_POLYGON_VERTICES);
                    } catch (GeoJsonGeometries.Invalid e) {
                        errors.add(new FieldError(e.field(), e.reason()));
                    }
                }
                if (regionZones.isEmpty() && regionZoneTags.isEmpty() && polygon == null) {
                    errors.add(new FieldError("scope.region", "names no zone, zone tag or polygon"));
                }
            }
        }
        ZoneSchedule schedule = null;
        JsonNode scheduleNode = scope.path("schedule");
        if (!scheduleNode.isMissingNode() && !scheduleNode.isNull()) {
            List<FieldError> scheduleErrors = new ArrayList<>();
            schedule = ZoneSchedule.read(scheduleNode, scheduleErrors);
            scheduleErrors.forEach(e -> errors.add(new FieldError("scope." + e.field(), e.reason())));
        }
        Duration dataWindow = null;
        JsonNode window = scope.path("dataWindow");
        if (!window.isMissingNode() && !window.isNull()) {
            String notADuration = "must be an ISO 8601 duration such as PT24H or P7D";
            try {
                dataWindow = window.isString() ? Duration.parse(window.stringValue()) : null;
                if (dataWindow == null) {
                    errors.add(new FieldError("scope.dataWindow", notADuration));
                } else if (dataWindow.isNegative()
                        || dataWindow.isZero()
                        || dataWindow.compareTo(MAX_DATA_WINDOW) > 0) {
                    errors.add(new FieldError("scope.dataWindow", "must be positive and at most " + MAX_DATA_WINDOW));
                    dataWindow = null;
                }
            } catch (DateTimeParseException | IllegalArgumentException e) {
                errors.add(new FieldError("scope.dataWindow", notADuration));
            }
        }
        boolean duringShifts = false;
        JsonNode shifts = scope.path("dataDuringShifts");
        if (!shifts.isMissingNode() && !shifts.isNull()) {
            if (!shifts.isBoolean()) {
                errors.add(new FieldError("scope.dataDuringShifts", "must be true or false"));
            } else {
                duringShifts = shifts.asBoolean();
                if (duringShifts && scheduleNode.isMissingNode()) {
                    errors.add(new FieldError("scope.dataDuringShifts", "needs a schedule: the shifts"));
                }
            }
        }
        Classification clearance = null;
        JsonNode clearanceNode = scope.path("clearance");
        if (!clearanceNode.isMissingNode() && !clearanceNode.isNull()) {
            if (!clearanceNode.isString()) {
                errors.add(new FieldError(
                        "scope.clearance", "must be one of public, internal, confidential or restricted"));
            } else {
                try {
                    clearance = Classification.fromId(clearanceNode.stringValue());
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("scope.clearance", String.valueOf(e.getMessage())));
                }
            }
        }
        Set<String> assetTags = set(scope.path("assetTags"), "scope.assetTags", ScopeSpec::tag, errors);
        Set<UUID> assets = set(scope.path("assets"), "scope.assets", ScopeSpec::uuid, errors);
        Set<String> zoneTags = set(scope.path("zoneTags"), "scope.zoneTags", ScopeSpec::tag, errors);
        String condition = null;
        JsonNode conditionNode = scope.path("condition");
        if (!conditionNode.isMissingNode() && !conditionNode.isNull()) {
            if (!conditionNode.isString() || conditionNode.asString().isBlank()) {
                errors.add(new FieldError("scope.condition", "must be a non-empty CEL expression"));
            } else if (conditionNode.asString().length() > MAX_CONDITION_LENGTH) {
                errors.add(new FieldError("scope.condition", "at most " + MAX_CONDITION_LENGTH + " characters"));
            } else {
                condition = conditionNode.asString();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new ScopeSpec(
                regionZones,
                regionZoneTags,
                polygon,
                schedule,
                dataWindow,
                duringShifts,
                clearance,
                assetTags,
                assets,
                zoneTags,
                condition);
    }

    /**
     * The first part of this scope that is not provably within {@code wider}'s, in words, or null
     * when every part is: a writer may hand out only what its own grant reaches. Decided part by
     * part and conservatively — a part that cannot be shown narrower counts as wider.
     */
    @Nullable
    String widerPartThan(ScopeSpec wider) {
        if (wider.hasRegion()) {
            if (!hasRegion()) {
                return "region: yours is limited to a region, the grant would not be";
            }
            boolean zonesWithin =
                    wider.regionZones.containsAll(regionZones) && wider.regionZoneTags.containsAll(regionZoneTags);
            boolean polygonWithin = polygon == null || (wider.polygon != null && wider.polygon.covers(polygon));
            if (!zonesWithin || !polygonWithin) {
                return "region: not within your region (zones and zone tags must be among yours, a polygon inside"
                        + " your polygon)";
            }
        }
        if (wider.schedule != null && !wider.schedule.equals(schedule)) {
            return "schedule: yours is limited to a schedule; the grant must carry the same";
        }
        if (wider.dataWindow != null && (dataWindow == null || dataWindow.compareTo(wider.dataWindow) > 0)) {
            return "dataWindow: at most yours, " + wider.dataWindow;
        }
        if (wider.dataDuringShifts
                && !(dataDuringShifts && wider.schedule != null && wider.schedule.equals(schedule))) {
            return "dataDuringShifts: yours is limited to data of your shifts; the grant must be too, with the same"
                    + " schedule";
        }
        if (wider.clearance != null && (clearance == null || clearance.compareTo(wider.clearance) > 0)) {
            return "clearance: at most yours, " + wider.clearance.id();
        }
        if (!wider.assetTags.isEmpty() && (assetTags.isEmpty() || !wider.assetTags.containsAll(assetTags))) {
            return "assetTags: must be among yours, " + sorted(wider.assetTags);
        }
        if (!wider.assets.isEmpty() && (assets.isEmpty() || !wider.assets.containsAll(assets))) {
            return "assets: must be among yours";
        }
        if (!wider.zoneTags.isEmpty() && (zoneTags.isEmpty() || !wider.zoneTags.containsAll(zoneTags))) {
            return "zoneTags: must be among yours, " + sorted(wider.zoneTags);
        }
        if (wider.condition != null && !wider.condition.equals(condition)) {
            return "condition: yours is limited by a condition; the grant must carry the same";
        }
        return null;
    }

    private static <T> Set<T> set(JsonNode node, String path, Function<JsonNode, T> read, List<FieldError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            errors.add(new FieldError(path, "must be an array"));
            return Set.of();
        }
        if (node.size() > MAX_MEMBERS) {
            errors.add(new FieldError(path, "at most " + MAX_MEMBERS + " values (was " + node.size() + ")"));
            return Set.of();
        }
        Set<T> values = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            try {
                values.add(read.apply(node.get(i)));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(path + "[" + i + "]", String.valueOf(e.getMessage())));
            }
        }
        return values;
    }

    private static UUID uuid(JsonNode node) {
        if (!node.isString()) {
            throw new IllegalArgumentException("must be an id");
        }
        try {
            return UUID.fromString(node.asString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an id (a UUID)");
        }
    }

    private static String tag(JsonNode node) {
        if (!node.isString() || node.asString().isBlank() || node.asString().length() > 100) {
            throw new IllegalArgumentException("must be a tag of 1-100 characters");
        }
        return node.asString();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    /** What a region is made of, in words, for explanations. */
    static String describeRegion(ScopeSpec spec) {
        List<String> parts = new ArrayList<>();
        if (!spec.regionZones.isEmpty()) {
            parts.add("zones "
                    + spec.regionZones.stream().map(UUID::toString).sorted().toList());
        }
        if (!spec.regionZoneTags.isEmpty()) {
            parts.add("zones tagged " + sorted(spec.regionZoneTags));
        }
        if (spec.polygon != null) {
            parts.add("a polygon");
        }
        return String.join(" and ", parts);
    }
}
