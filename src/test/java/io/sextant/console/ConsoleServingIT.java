package io.sextant.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import org.junit.jupiter.api.Test;

/**
 * The console is served by the jar without a token — its page, its settings and the browser
 * libraries built in from the npm registry — under a content security policy that admits nothing
 * from elsewhere; its data needs a token like any API call.
 */
class ConsoleServingIT extends SextantIT {

    @Test
    void the_console_page_is_public_and_locked_to_this_origin() {
        Response redirect = api.get("/console").send();
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).endsWith("/console/");

        Response page = api.get("/console/").send();
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<title>");
        String policy = page.header("Content-Security-Policy");
        assertThat(policy)
                .contains("default-src 'self'")
                .contains("script-src 'self';")
                .contains("connect-src 'self';")
                .contains("frame-ancestors 'none'")
                .doesNotContain("http");
    }

    @Test
    void the_browser_libraries_and_the_offline_base_map_are_in_the_jar() {
        for (String file : new String[] {
            "/console/vendor/maplibre-gl/dist/maplibre-gl-csp.js",
            "/console/vendor/maplibre-gl/dist/maplibre-gl-csp-worker.js",
            "/console/vendor/maplibre-gl/dist/maplibre-gl.css",
            "/console/vendor/maplibre-gl/LICENSE.txt",
            "/console/vendor/topojson-client/dist/topojson-client.min.js",
            "/console/vendor/world-atlas/countries-50m.json",
            "/console/vendor/world-atlas/LICENSE"
        }) {
            Response response = api.get(file).send();
            assertThat(response.status()).as(file).isEqualTo(200);
            assertThat(response.body()).as(file).isNotBlank();
        }
        Response atlas =
                api.get("/console/vendor/world-atlas/countries-50m.json").send();
        assertThat(atlas.json().get("type").asString()).isEqualTo("Topology");
        assertThat(atlas.json().get("objects").has("countries")).isTrue();
    }

    @Test
    void without_a_tile_server_the_settings_say_so() {
        Response config = api.get("/console/config.json").send();
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().path("tileUrl").isMissingNode()
                        || config.json().path("tileUrl").isNull())
                .as("%s", config)
                .isTrue();
    }

    @Test
    void the_console_files_do_not_open_the_api() {
        assertThat(api.get("/api/v1/assets").send().status()).isEqualTo(401);
        assertThat(api.post("/console/config.json").json("{}").send().status()).isIn(401, 403, 405);
    }
}
