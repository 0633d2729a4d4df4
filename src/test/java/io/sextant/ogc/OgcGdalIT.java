package io.sextant.ogc;

import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real GIS client reads the OGC API: GDAL's OAPIF driver ({@code ogrinfo}, {@code ogr2ogr})
 * lists both collections (with the geometry type of a layer that has features), copies every zone
 * through the next links of its default ten-feature pages, and pushes a spatial filter down as
 * bbox, getting exactly the latest positions the test computes. Skipped where GDAL is not installed, unless
 * {@code SEXTANT_TEST_REQUIRE_GDAL=true} (CI), where it fails instead.
 */
class OgcGdalIT extends SextantIT {

    private static final Path OGRINFO = Path.of("/usr/bin/ogrinfo");
    private static final Path OGR2OGR = Path.of("/usr/bin/ogr2ogr");

    @TempDir
    Path work;

    private TenantFixture tenant;

    @BeforeEach
    void gdal() {
        if (Files.isExecutable(OGRINFO) && Files.isExecutable(OGR2OGR)) {
            tenant = newTenant();
            return;
        }
        String reason = "needs GDAL's " + OGRINFO + " and " + OGR2OGR + " (Debian: gdal-bin)";
        if ("true".equalsIgnoreCase(System.getenv("SEXTANT_TEST_REQUIRE_GDAL"))) {
            fail(reason + " (SEXTANT_TEST_REQUIRE_GDAL=true)");
        }
        Assumptions.abort(reason);
    }

    private record Run(int exit, String output) {}

    private Run gdal(String token, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).directory(work.toFile());
        builder.environment().put("GDAL_HTTP_HEADERS", "Authorization: Bearer " + token);
        builder.environment().put("CPL_DEBUG", "ON");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private String source() {
        return "OAPIF:" + api.baseUrl() + "/api/v1/ogc";
    }

    /** The ids GDAL copied into a GeoJSON file (it keeps a string feature id as the property {@code id}). */
    private List<String> copiedIds(Path file) throws IOException {
        JsonNode copied = ApiClient.JSON.readTree(Files.readString(file));
        List<String> ids = new ArrayList<>();
        copied.path("features")
                .forEach(f -> ids.add(f.path("properties").path("id").asString()));
        return ids;
    }

    @Test
    void gdal_lists_both_collections_and_copies_every_zone_through_the_next_links() throws Exception {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Response created = api.post("/api/v1/zones")
                    .bearer(tenant.adminToken())
                    .json(Map.of("name", "z" + i, "geometry", square(4 + i * 0.1, 45, 0.05)))
                    .send();
            made.add(created.json().path("id").asString());
        }
        Response circle = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "circle", "circle", Map.of("center", List.of(179.99, 0), "radiusMeters", 3000)))
                .send();
        made.add(circle.json().path("id").asString());

        Run layers = gdal(tenant.adminToken(), OGRINFO.toString(), "-ro", source());
        assertThat(layers.exit()).as(layers.output()).isZero();
        // No asset has a position yet: GDAL infers a layer's geometry type from its first page.
        assertThat(layers.output()).contains("latest-positions (title: Latest positions)");
        assertThat(layers.output()).containsPattern("zones \\(title: Zones\\) \\((Multi )?Polygon\\)");

        Path zones = work.resolve("zones.geojson");
        Run copy = gdal(tenant.adminToken(), OGR2OGR.toString(), "-f", "GeoJSON", zones.toString(), source(), "zones");
        assertThat(copy.exit()).as(copy.output()).isZero();
        assertThat(copiedIds(zones)).containsExactlyInAnyOrderElementsOf(made);
        assertThat(copy.output()).as("GDAL followed next links").contains("cursor=");
        JsonNode copied = ApiClient.JSON.readTree(Files.readString(zones));
        copied.path("features").forEach(f -> {
            if (f.path("properties").path("name").asString().equals("circle")) {
                assertThat(f.path("geometry").path("type").asString())
                        .as("a circle across the antimeridian arrives in two halves")
                        .isEqualTo("MultiPolygon");
            }
        });

        Run refused = gdal("not-a-token", OGRINFO.toString(), "-ro", "-q", source());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("401");
    }

    @Test
    void a_spatial_filter_reaches_the_server_as_bbox_and_brings_exactly_the_positions_inside() throws Exception {
        Random random = new Random(11);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Object> batch = new ArrayList<>();
        Set<String> inside = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String id = createAsset(tenant.adminToken(), "g" + i, "van", List.of())
                    .path("id")
                    .asString();
            double lon = 10 + random.nextDouble() * 2;
            double lat = 50 + random.nextDouble();
            batch.add(Map.of("externalId", "g" + i, "time", now.toString(), "lon", lon, "lat", lat));
            if (lon >= 10.5 && lon <= 11.5 && lat >= 50.2 && lat <= 50.8) {
                inside.add(id);
            }
        }
        Response ingested = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(batch)
                .send();
        assertThat(ingested.json().path("accepted").asInt()).as("%s", ingested).isEqualTo(30);
        assertThat(inside).isNotEmpty().hasSizeLessThan(30);

        Path latest = work.resolve("latest.geojson");
        Run copy = gdal(
                tenant.adminToken(),
                OGR2OGR.toString(),
                "-f",
                "GeoJSON",
                "-spat",
                "10.5",
                "50.2",
                "11.5",
                "50.8",
                latest.toString(),
                source(),
                "latest-positions");
        assertThat(copy.exit()).as(copy.output()).isZero();
        assertThat(copy.output()).as("the filter went to the server").contains("bbox=");
        assertThat(copiedIds(latest)).containsExactlyInAnyOrderElementsOf(inside);
    }
}
