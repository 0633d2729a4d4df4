package io.sextant.asset;

import java.util.List;
import java.util.Map;

/** The caller-supplied fields of an asset, for create and replace. */
public record AssetDraft(
        String externalId,
        String name,
        String type,
        List<String> tags,
        Map<String, Object> attributes,
        Classification classification) {}
