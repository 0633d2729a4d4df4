package io.sextant.identity.web;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Where tracker apps put their API key: {@code Authorization: Bearer <key>}; HTTP Basic with the
 * key as the password, whatever the user name (OwnTracks, whose settings have a user name and a
 * password); or the {@code key} query parameter, taken out of the URL by {@link UrlApiKeyFilter}
 * (Traccar Client, which cannot set headers). A header wins over the URL.
 */
final class TrackerCredentials implements AuthenticationConverter {

    static final String WHERE =
            "send the device's API key as 'Authorization: Bearer <key>', as the HTTP Basic password, or as the"
                    + " 'key' query parameter";

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String key = authorization != null
                ? fromHeader(authorization)
                : request.getAttribute(UrlApiKeyFilter.ATTRIBUTE) instanceof String inUrl ? inUrl : null;
        if (key == null) {
            return null;
        }
        if (key.isBlank()) {
            throw new BadCredentialsException("the API key is empty; " + WHERE);
        }
        return new BearerTokenAuthenticationToken(key.strip());
    }

    private static String fromHeader(String authorization) {
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String credentials;
            try {
                credentials = new String(
                        Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadCredentialsException("the Basic credentials are not base64");
            }
            int colon = credentials.indexOf(':');
            if (colon < 0) {
                throw new BadCredentialsException("the Basic credentials are not <user name>:<API key>");
            }
            return credentials.substring(colon + 1);
        }
        throw new BadCredentialsException("unsupported Authorization scheme; " + WHERE);
    }
}
