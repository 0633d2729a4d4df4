package io.sextant.testing;

import java.util.List;
import java.util.Map;

/** GeoJSON geometries for tests, as request bodies write them. */
public final class TestGeometries {

    private TestGeometries() {}

    /** The square Polygon with its south-west corner at (west, south) and sides of {@code size} degrees. */
    public static Map<String, Object> square(double west, double south, double size) {
        return Map.of(
                "type",
                "Polygon",
                "coordinates",
                List.of(List.of(
                        List.of(west, south),
                        List.of(west + size, south),
                        List.of(west + size, south + size),
                        List.of(west, south + size),
                        List.of(west, south))));
    }
}
