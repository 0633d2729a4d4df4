package io.sextant.shared;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL's {@code text} cannot hold the NUL character (U+0000) and {@code jsonb} refuses
 * {@code \u0000}: a value carrying one fails the statement (and with it a whole group commit).
 * Input is checked for it where it enters, so the client hears which value was refused.
 */
public final class NulCharacters {

    /** The reason given for a refused value. */
    public static final String REASON = "must not contain the NUL character (U+0000)";

    private NulCharacters() {}

    public static boolean in(@Nullable String text) {
        return text != null && text.indexOf('\u0000') >= 0;
    }

    /** The reason for a name or a leaf of free JSON (a string, or a tree's string node) holding a NUL, or null. */
    public static @Nullable String fault(Object nameOrLeaf) {
        boolean nul = switch (nameOrLeaf) {
            case String text -> in(text);
            case JsonNode node -> node.isString() && in(node.stringValue());
            default -> false;
        };
        return nul ? REASON : null;
    }

    /**
     * The path of the first member name or string in {@code value} (a JSON tree, or maps, lists and
     * scalars as Jackson reads them) that holds a NUL, relative to {@code path}; null if none does.
     */
    public static @Nullable String firstIn(@Nullable Object value, String path) {
        JsonPaths.Fault fault = JsonPaths.first(value, path, NulCharacters::fault, NulCharacters::fault);
        return fault == null ? null : fault.path();
    }
}
