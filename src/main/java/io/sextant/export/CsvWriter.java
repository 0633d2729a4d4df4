package io.sextant.export;

import io.sextant.tracking.StoredPosition;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * CSV (RFC 4180): a header row, then one row per position with the fields of its GeoJSON feature —
 * {@code assetId, time, receivedAt, lon, lat, altitude, accuracy, speed, heading} and the {@code
 * attributes} object as JSON text — an absent value an empty field. Lines end with CRLF; a field
 * holding a comma, a double quote, CR or LF is quoted, its quotes doubled. UTF-8, no byte order mark.
 */
final class CsvWriter implements ExportWriter {

    static final List<String> HEADER = List.of(
            "assetId", "time", "receivedAt", "lon", "lat", "altitude", "accuracy", "speed", "heading", "attributes");

    private final JsonMapper json;
    private final OutputStream out;

    CsvWriter(JsonMapper json, OutputStream out) {
        this.json = json;
        this.out = out;
    }

    @Override
    public void begin() throws IOException {
        row(HEADER);
    }

    @Override
    public void write(StoredPosition p) throws IOException {
        row(List.of(
                p.assetId().toString(),
                p.eventTime().toString(),
                p.receivedAt().toString(),
                Double.toString(p.lon()),
                Double.toString(p.lat()),
                number(p.altitude()),
                number(p.accuracy()),
                number(p.speed()),
                number(p.heading()),
                p.attributes().isEmpty() ? "" : json.writeValueAsString(p.attributes())));
    }

    @Override
    public void end() {}

    private void row(List<String> fields) throws IOException {
        StringBuilder line = new StringBuilder(128);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(field(fields.get(i)));
        }
        line.append("\r\n");
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The field as RFC 4180 has it: quoted, quotes doubled, when it holds a comma, a quote, CR or LF. */
    static String field(String value) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    private static String number(@Nullable Double value) {
        return value == null ? "" : Double.toString(value);
    }
}
