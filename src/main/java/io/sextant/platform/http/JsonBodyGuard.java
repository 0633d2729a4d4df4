package io.sextant.platform.http;

import io.sextant.shared.JsonNumbers;
import io.sextant.shared.NulCharacters;
import io.sextant.shared.web.Problems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses, before the body is bound and whatever it binds to (records, free JSON, attribute maps),
 * a JSON request body with a value Sextant could not store or compare: a NUL character ({@code
 * \u0000}) in any member name or string, which PostgreSQL's text and jsonb refuse (see {@link
 * NulCharacters}), or a number beyond the range of a double (about 1.8 × 10³⁰⁸), which Jackson
 * reads as an infinity or a {@code BigInteger} and which an access condition's {@code float8} cast
 * would fail on in SQL. A 400 names the member.
 */
@ControllerAdvice
final class JsonBodyGuard extends RequestBodyAdviceAdapter {

    /** A refused member and why. */
    record Refusal(String member, String reason) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJacksonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        byte[] body = input.getBody().readAllBytes();
        Refusal refusal = firstRefused(body);
        if (refusal != null) {
            throw Problems.invalid(refusal.member(), refusal.reason());
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return input.getHeaders();
            }
        };
    }

    /**
     * The first value refused, or null; a body that is not JSON (or breaks the parser's limits) is
     * left for the converter to refuse.
     */
    static @Nullable Refusal firstRefused(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                boolean text = token == JsonToken.PROPERTY_NAME || token == JsonToken.VALUE_STRING;
                if (text && NulCharacters.in(parser.getString())) {
                    return new Refusal(path(parser.streamReadContext()), NulCharacters.REASON);
                }
                boolean number = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
                if (number && Double.isInfinite(parser.getDoubleValue())) {
                    return new Refusal(path(parser.streamReadContext()), JsonNumbers.REASON);
                }
            }
            return null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The member as the validation problems name fields: {@code proximity[0].name}. */
    private static String path(TokenStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            } else if (c.currentName() != null) {
                parts.push("." + c.currentName());
            }
        }
        String path = String.join("", parts);
        return path.isEmpty() ? "body" : path.startsWith(".") ? path.substring(1) : path;
    }
}
