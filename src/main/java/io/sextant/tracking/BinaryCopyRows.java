package io.sextant.tracking;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes positions in PostgreSQL's binary COPY format (the "PGCOPY" file format of the COPY
 * documentation), for the staging table of a group write: the server reads binary values as they
 * are, instead of parsing text.
 */
final class BinaryCopyRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private static final int FIELDS = 11;

    private BinaryCopyRows() {}

    /** Rows of (tenant_id, asset_id, event_time, received_at, lon, lat, altitude, accuracy, speed, heading, attributes). */
    static byte[] encode(List<Position> positions, JsonMapper json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + positions.size() * 160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // header extension length
            for (Position p : positions) {
                out.writeShort(FIELDS);
                uuid(out, p.tenantId());
                uuid(out, p.assetId());
                timestamp(out, p.eventTime());
                timestamp(out, p.receivedAt());
                out.writeInt(8);
                out.writeDouble(p.lon());
                out.writeInt(8);
                out.writeDouble(p.lat());
                real(out, p.altitude());
                real(out, p.accuracy());
                real(out, p.speed());
                real(out, p.heading());
                if (p.attributes().isEmpty()) {
                    out.writeInt(-1);
                } else {
                    byte[] text = json.writeValueAsString(p.attributes()).getBytes(StandardCharsets.UTF_8);
                    out.writeInt(text.length + 1);
                    out.writeByte(1); // jsonb binary format version
                    out.write(text);
                }
            }
            out.writeShort(-1);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void uuid(DataOutputStream out, UUID id) throws IOException {
        out.writeInt(16);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static void timestamp(DataOutputStream out, Instant instant) throws IOException {
        out.writeInt(8);
        long micros =
                Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        out.writeLong(micros - POSTGRES_EPOCH_MICROS);
    }

    private static void real(DataOutputStream out, @Nullable Double value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(4);
            out.writeFloat(value.floatValue());
        }
    }
}
