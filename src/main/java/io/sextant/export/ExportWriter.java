package io.sextant.export;

import io.sextant.tracking.StoredPosition;
import java.io.IOException;
import java.io.OutputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes positions in one {@link ExportFormat}, as a stream: {@link #begin()}, {@link #write} per
 * position in order, {@link #end()}. Each position is written as the history endpoints answer it
 * (tracking's {@link io.sextant.tracking.PositionFeatures}), nothing is held back.
 */
interface ExportWriter {

    void begin() throws IOException;

    void write(StoredPosition position) throws IOException;

    void end() throws IOException;

    /** The writer of {@code format} onto {@code out}, serialising JSON with the API's own mapper. */
    static ExportWriter of(ExportFormat format, JsonMapper json, OutputStream out) {
        return switch (format) {
            case GEOJSON -> new FeatureCollectionWriter(json, out);
            case GEOJSONSEQ -> new FeatureSequenceWriter(json, out);
            case CSV -> new CsvWriter(json, out);
        };
    }
}
