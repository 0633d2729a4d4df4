package io.sextant.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes positions in PostgreSQL's binary COPY format (the "PGCOPY" file format of the COPY
 * documentation), for a group write: the server reads binary values as they are, instead of
 * parsing text. Written big-endian into one growing array, without a stream's per-write locking.
 */
final class BinaryCopyRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private static final int FIELDS = 11;
    /** A row without attributes: field count, 2 uuids, 2 timestamps, 2 doubles, 4 reals, a null. */
    private static final int PLAIN_ROW_BYTES = 2 + 2 * 20 + 2 * 12 + 2 * 12 + 4 * 8 + 4;

    private byte[] bytes;
    private int length;

    private BinaryCopyRows(int capacity) {
        this.bytes = new byte[capacity];
    }

    /** Rows of (tenant_id, asset_id, event_time, received_at, lon, lat, altitude, accuracy, speed, heading, attributes). */
    static byte[] encode(List<Position> positions, JsonMapper json) {
        BinaryCopyRows out = new BinaryCopyRows(SIGNATURE.length + 10 + positions.size() * PLAIN_ROW_BYTES);
        out.write(SIGNATURE);
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
        for (Position p : positions) {
            out.writeShort(FIELDS);
            out.uuid(p.tenantId());
            out.uuid(p.assetId());
            out.timestamp(p.eventTime());
            out.timestamp(p.receivedAt());
            out.writeInt(8);
            out.writeLong(Double.doubleToRawLongBits(p.lon()));
            out.writeInt(8);
            out.writeLong(Double.doubleToRawLongBits(p.lat()));
            out.real(p.altitude());
            out.real(p.accuracy());
            out.real(p.speed());
            out.real(p.heading());
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
        return out.length == out.bytes.length ? out.bytes : Arrays.copyOf(out.bytes, out.length);
    }

    private void uuid(UUID id) {
        writeInt(16);
        writeLong(id.getMostSignificantBits());
        writeLong(id.getLeastSignificantBits());
    }

    private void timestamp(Instant instant) {
        writeInt(8);
        long micros =
                Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        writeLong(micros - POSTGRES_EPOCH_MICROS);
    }

    private void real(@Nullable Double value) {
        if (value == null) {
            writeInt(-1);
        } else {
            writeInt(4);
            writeInt(Float.floatToRawIntBits(value.floatValue()));
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private void write(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, length, data.length);
        length += data.length;
    }

    private void writeByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    private void writeShort(int value) {
        ensure(2);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    private void writeInt(int value) {
        ensure(4);
        bytes[length++] = (byte) (value >>> 24);
        bytes[length++] = (byte) (value >>> 16);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    private void writeLong(long value) {
        writeInt((int) (value >>> 32));
        writeInt((int) value);
    }
}
