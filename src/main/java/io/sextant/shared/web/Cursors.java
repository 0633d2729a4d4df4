package io.sextant.shared.web;

import io.sextant.shared.problem.InvalidInput;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Opaque cursors: the keyset position, base64url-encoded so clients do not build them. */
public final class Cursors {

    private Cursors() {}

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position in {@code cursor}, or {@code null} for the first page; a 400 if it is not ours.
     * No position this API encodes has a control character or bytes that are not UTF-8, so a cursor
     * that decodes to one is refused here, before its text reaches a query (PostgreSQL refuses a
     * NUL in text with an error of its own).
     */
    public static @Nullable String decode(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String position;
        try {
            position = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor)))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw notOurs();
        }
        if (position.isEmpty() || position.chars().anyMatch(Character::isISOControl)) {
            throw notOurs();
        }
        return position;
    }

    private static InvalidInput notOurs() {
        return new InvalidInput("cursor", "is not a cursor returned by this API");
    }

    /** The id position in {@code cursor}, for lists ordered by id; {@code null} for the first page. */
    public static @Nullable UUID decodeId(@Nullable String cursor) {
        String position = decode(cursor);
        if (position == null) {
            return null;
        }
        try {
            return UUID.fromString(position);
        } catch (IllegalArgumentException e) {
            throw notOurs();
        }
    }
}
