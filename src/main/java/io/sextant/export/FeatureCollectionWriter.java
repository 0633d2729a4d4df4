package io.sextant.export;

import io.sextant.tracking.PositionFeatures;
import io.sextant.tracking.StoredPosition;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/** One GeoJSON FeatureCollection (RFC 7946) of Point features, written feature by feature. */
final class FeatureCollectionWriter implements ExportWriter {

    private static final byte[] BEGIN =
            "{\"type\":\"FeatureCollection\",\"features\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "]}\n".getBytes(StandardCharsets.UTF_8);

    private final JsonMapper json;
    private final OutputStream out;
    private boolean first = true;

    FeatureCollectionWriter(JsonMapper json, OutputStream out) {
        this.json = json;
        this.out = out;
    }

    @Override
    public void begin() throws IOException {
        out.write(BEGIN);
    }

    @Override
    public void write(StoredPosition position) throws IOException {
        if (!first) {
            out.write(',');
        }
        first = false;
        out.write(json.writeValueAsBytes(PositionFeatures.point(position)));
    }

    @Override
    public void end() throws IOException {
        out.write(END);
    }
}
