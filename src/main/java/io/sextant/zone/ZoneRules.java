package io.sextant.zone;

import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What makes a zone draft valid; every violation is reported with its location. The name, tag and
 * attribute rules are those of assets.
 */
final class ZoneRules {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_ATTRIBUTE_BYTES = 16_384;
    static final int MAX_TAGS = 32;

    private static final Pattern TAG = Pattern.compile("^[a-z0-9][a-z0-9._:=-]{0,63}$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ZoneRules() {}

    /** The validated content of {@code draft}; {@code InvalidInput} naming every fault otherwise. */
    static ZoneContent check(ZoneDraft draft, ZoneLimits limits) {
        List<FieldError> errors = new ArrayList<>();
        String name = draft.name();
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "must be 1-" + MAX_NAME_LENGTH + " characters"));
        }
        checkTags(draft.tags(), errors);
        int attributeBytes = JSON.writeValueAsString(draft.attributes()).getBytes(StandardCharsets.UTF_8).length;
        if (attributeBytes > MAX_ATTRIBUTE_BYTES) {
            errors.add(new FieldError(
                    "attributes", "at most " + MAX_ATTRIBUTE_BYTES + " bytes of JSON (was " + attributeBytes + ")"));
        }
        Map<String, JsonNode> shapes = new LinkedHashMap<>();
        put(shapes, "geometry", draft.geometry());
        put(shapes, "circle", draft.circle());
        put(shapes, "corridor", draft.corridor());
        ZoneShape shape = null;
        if (shapes.size() != 1) {
            errors.add(new FieldError(
                    "shape",
                    "give exactly one of geometry, circle or corridor ("
                            + (shapes.isEmpty()
                                    ? "none was given"
                                    : String.join(" and ", shapes.keySet()) + " were given")
                            + ")"));
        } else {
            var entry = shapes.entrySet().iterator().next();
            try {
                shape = shape(entry.getKey(), entry.getValue(), limits, true);
            } catch (ZoneJson.Invalid e) {
                errors.add(e.error());
            }
        }
        JsonNode scheduleJson = given(draft.schedule());
        JsonNode fenceJson = given(draft.fence());
        ZoneSchedule schedule = scheduleJson == null ? null : ZoneJson.schedule(scheduleJson, errors);
        FenceSettings settings = fenceJson == null ? FenceSettings.DEFAULTS : ZoneJson.fence(fenceJson, errors);
        if (!errors.isEmpty() || name == null || shape == null || settings == null) {
            throw new InvalidInput(errors);
        }
        return new ZoneContent(
                name,
                List.copyOf(draft.tags()),
                draft.attributes(),
                shape,
                shapes.values().iterator().next(),
                schedule,
                scheduleJson,
                settings,
                fenceJson,
                Bounds.cover(shape.bounds()));
    }

    /**
     * The shape of kind {@code kind} ({@code polygon}, {@code circle} or {@code corridor}) in the JSON
     * of its request member; without {@code validate}, the polygon's topology and area are taken as
     * checked already (for zones read back from storage).
     */
    static ZoneShape shape(String member, JsonNode json, ZoneLimits limits, boolean validate) {
        return switch (member) {
            case "geometry", "polygon" -> ZoneJson.polygon(json, "geometry", limits, validate);
            case "circle" -> ZoneJson.circle(json, limits);
            case "corridor" -> ZoneJson.corridor(json, limits);
            default -> throw new IllegalArgumentException("unknown shape member " + member);
        };
    }

    private static void checkTags(List<String> tags, List<FieldError> errors) {
        if (tags.size() > MAX_TAGS) {
            errors.add(new FieldError("tags", "at most " + MAX_TAGS + " tags (was " + tags.size() + ")"));
        }
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag == null || !TAG.matcher(tag).matches()) {
                errors.add(new FieldError(
                        "tags[" + i + "]", "'" + tag + "' is not a tag: 1-64 lower-case letters, digits and ._:=-"));
            }
        }
        if (new HashSet<>(tags).size() != tags.size()) {
            errors.add(new FieldError("tags", "must not repeat a tag"));
        }
    }

    private static void put(Map<String, JsonNode> shapes, String member, @Nullable JsonNode json) {
        JsonNode value = given(json);
        if (value != null) {
            shapes.put(member, value);
        }
    }

    /** The member's value, or {@code null} when it is absent or JSON null. */
    private static @Nullable JsonNode given(@Nullable JsonNode json) {
        return json == null || json.isNull() || json.isMissingNode() ? null : json;
    }
}
