package io.sextant.shared.web;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Prefer} request header (RFC 7240): a comma-separated list of preferences, each a token
 * with an optional value and parameters after {@code ;}. Only what Sextant honours is read.
 */
public final class Preferences {

    /** The header a response carries to say which preferences it applied. */
    public static final String APPLIED = "Preference-Applied";

    public static final String RETURN_MINIMAL = "return=minimal";

    private Preferences() {}

    /** Whether {@code header} asks for {@code return=minimal}: a response that leaves out what the client knows. */
    public static boolean returnMinimal(@Nullable String header) {
        if (header == null) {
            return false;
        }
        for (String preference : header.split(",")) {
            int parameters = preference.indexOf(';');
            String head = (parameters < 0 ? preference : preference.substring(0, parameters))
                    .replace(" ", "")
                    .replace("\t", "")
                    .replace("\"", "")
                    .toLowerCase(Locale.ROOT);
            if (head.equals(RETURN_MINIMAL)) {
                return true;
            }
        }
        return false;
    }
}
