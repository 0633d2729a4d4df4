package io.sextant.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Console settings. Without a tile URL the console draws its offline base map (Natural Earth land
 * and country boundaries, shipped in the jar); with one it draws those raster tiles instead.
 *
 * @param tileUrl a raster tile URL template with {@code {z}}, {@code {x}} and {@code {y}}, for
 *     example a tile server of your own ({@code SEXTANT_CONSOLE_TILE_URL}); http or https
 * @param tileAttribution the attribution the tile provider requires, shown on the map ({@code
 *     SEXTANT_CONSOLE_TILE_ATTRIBUTION})
 */
@ConfigurationProperties("sextant.console")
public record ConsoleProperties(
        @Nullable String tileUrl, @Nullable String tileAttribution) {

    public ConsoleProperties {
        if (tileUrl != null && tileUrl.isBlank()) {
            tileUrl = null;
        }
        if (tileUrl != null) {
            tileOrigin(tileUrl);
            for (String placeholder : new String[] {"{z}", "{x}", "{y}"}) {
                if (!tileUrl.contains(placeholder)) {
                    throw new IllegalArgumentException(
                            "sextant.console.tile-url must contain " + placeholder + ", was " + tileUrl);
                }
            }
        }
    }

    /** The scheme, host and port the tiles come from, for the content security policy. */
    public static String tileOrigin(String tileUrl) {
        URI uri;
        try {
            uri = new URI(tileUrl.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("sextant.console.tile-url is not a URL: " + tileUrl, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "sextant.console.tile-url must be an http or https URL with a host, was " + tileUrl);
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
