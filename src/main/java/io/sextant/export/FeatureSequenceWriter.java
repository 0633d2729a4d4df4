package io.sextant.export;

import io.sextant.tracking.PositionFeatures;
import io.sextant.tracking.StoredPosition;
import java.io.IOException;
import java.io.OutputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * GeoJSON text sequences (RFC 8142, after RFC 7464): each Point feature preceded by the record
 * separator RS (0x1E) and followed by a line feed, so a reader can start at any record and skip a
 * truncated one. No collection around them: an empty export is empty.
 */
final class FeatureSequenceWriter implements ExportWriter {

    static final int RECORD_SEPARATOR = 0x1E;
    static final int LINE_FEED = 0x0A;

    private final JsonMapper json;
    private final OutputStream out;

    FeatureSequenceWriter(JsonMapper json, OutputStream out) {
        this.json = json;
        this.out = out;
    }

    @Override
    public void begin() {}

    @Override
    public void write(StoredPosition position) throws IOException {
        out.write(RECORD_SEPARATOR);
        // The mapper writes JSON text without line breaks, so LF ends the record and nothing else.
        out.write(json.writeValueAsBytes(PositionFeatures.point(position)));
        out.write(LINE_FEED);
    }

    @Override
    public void end() {}
}
