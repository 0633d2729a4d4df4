package io.sextant.platform.http;

import io.sextant.shared.NulCharacters;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before anything reads them, request parts that no handler can use safely: a query
 * string that is not valid UTF-8 percent-encoding or whose names or values hold a NUL character
 * (400, naming the parameter: a NUL reaching SQL fails the statement), and a {@code Content-Type}
 * that is a wildcard range rather than one media type (415).
 *
 * <p>The path needs no such check: the servlet container refuses NUL, invalid UTF-8 and encoded
 * slashes in it. Form bodies are checked where they are read (only the tracker endpoints read
 * one), because reading them here would consume bodies that endpoints read raw.
 */
final class MalformedInputFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        FieldError invalid = query == null ? null : invalidParameter(query);
        if (invalid != null) {
            ProblemResponses.write(request, response, Problems.validationProblem(List.of(invalid)));
            return;
        }
        if (isWildcard(request.getContentType())) {
            ProblemResponses.write(
                    request,
                    response,
                    Problems.detail(
                            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                            "unsupported-media-type",
                            "Unsupported media type",
                            "Content-Type must name one media type, such as application/json, not a range such as */*"));
            return;
        }
        chain.doFilter(request, response);
    }

    /** The first parameter whose name or value cannot be decoded or holds a NUL, or null. */
    static @Nullable FieldError invalidParameter(String query) {
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String name = decode(rawName);
            if (name == null) {
                return new FieldError(rawName, "is not valid UTF-8 percent-encoding");
            }
            if (NulCharacters.in(name)) {
                return new FieldError(rawName, "a parameter name " + NulCharacters.REASON);
            }
            String value = decode(equals < 0 ? "" : pair.substring(equals + 1));
            if (value == null) {
                return new FieldError(name, "is not valid UTF-8 percent-encoding");
            }
            if (NulCharacters.in(value)) {
                return new FieldError(name, NulCharacters.REASON);
            }
        }
        return null;
    }

    /** {@code application/x-www-form-urlencoded} decoding that refuses bad escapes and invalid UTF-8. */
    private static @Nullable String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()
                        || !HexFormat.isHexDigit(raw.charAt(i + 1))
                        || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                    return null;
                }
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isWildcard(@Nullable String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false; // refused as 415 by whatever reads the body
        }
    }
}
