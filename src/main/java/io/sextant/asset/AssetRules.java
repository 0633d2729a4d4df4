package io.sextant.asset;

import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/** What makes an asset draft valid; every violation is reported, each with its field. */
final class AssetRules {

    static final int MAX_ATTRIBUTE_BYTES = 16_384;
    static final int MAX_TAGS = 32;

    private static final Pattern EXTERNAL_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$");
    private static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9_-]{0,63}$");
    private static final Pattern TAG = Pattern.compile("^[a-z0-9][a-z0-9._:=-]{0,63}$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AssetRules() {}

    static boolean isValid(AssetDraft draft) {
        try {
            check(draft);
            return true;
        } catch (InvalidInput e) {
            return false;
        }
    }

    static void check(AssetDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        if (!EXTERNAL_ID.matcher(draft.externalId()).matches()) {
            errors.add(new FieldError(
                    "externalId",
                    "must be 1-128 characters: letters, digits and ._:@/- , starting with a letter or digit"));
        }
        if (draft.name().isBlank() || draft.name().length() > 200) {
            errors.add(new FieldError("name", "must be 1-200 characters"));
        }
        if (!TYPE.matcher(draft.type()).matches()) {
            errors.add(
                    new FieldError("type", "must be 1-64 lower-case letters, digits, _ or -, starting with a letter"));
        }
        if (draft.tags().size() > MAX_TAGS) {
            errors.add(new FieldError(
                    "tags", "at most " + MAX_TAGS + " tags (was " + draft.tags().size() + ")"));
        }
        for (String tag : draft.tags()) {
            if (tag == null || !TAG.matcher(tag).matches()) {
                errors.add(new FieldError(
                        "tags", "'" + tag + "' is not a tag: 1-64 lower-case letters, digits and ._:=-"));
            }
        }
        if (new HashSet<>(draft.tags()).size() != draft.tags().size()) {
            errors.add(new FieldError("tags", "must not repeat a tag"));
        }
        int attributeBytes = JSON.writeValueAsString(draft.attributes()).getBytes(StandardCharsets.UTF_8).length;
        if (attributeBytes > MAX_ATTRIBUTE_BYTES) {
            errors.add(new FieldError(
                    "attributes", "at most " + MAX_ATTRIBUTE_BYTES + " bytes of JSON (was " + attributeBytes + ")"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
    }
}
