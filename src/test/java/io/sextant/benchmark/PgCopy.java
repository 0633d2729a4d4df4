package io.sextant.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Encodes position rows for PostgreSQL COPY, binary and text, in the column order {@link #COLUMNS}.
 * Binary: the documented COPY BINARY file format (signature, flags, rows of length-prefixed
 * fields, trailer).
 */
final class PgCopy {

    static final String COLUMNS =
            "tenant_id, asset_id, event_time, received_at, lon, lat, altitude, accuracy, speed, heading, attributes";

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final DateTimeFormatter TEXT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

    private PgCopy() {}

    /** Writes COPY BINARY rows into memory; {@link #bytes()} adds the trailer. */
    static final class Binary {
        private final ByteArrayOutputStream buffer;
        private final DataOutputStream out;

        Binary(int expectedBytes) {
            buffer = new ByteArrayOutputStream(expectedBytes);
            out = new DataOutputStream(buffer);
            try {
                out.write(SIGNATURE);
                out.writeInt(0);
                out.writeInt(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void row(UUID tenant, UUID asset, Instant eventTime, Instant receivedAt, Workload.Row r) {
            try {
                writeRow(out, tenant, asset, eventTime, receivedAt, r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] bytes() {
            try {
                out.writeShort(-1);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        }
    }

    static void header(DataOutputStream out) throws IOException {
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(0);
    }

    static void trailer(DataOutputStream out) throws IOException {
        out.writeShort(-1);
    }

    static void writeRow(
            DataOutputStream out, UUID tenant, UUID asset, Instant eventTime, Instant receivedAt, Workload.Row r)
            throws IOException {
        out.writeShort(11);
        uuid(out, tenant);
        uuid(out, asset);
        timestamp(out, eventTime);
        timestamp(out, receivedAt);
        out.writeInt(8);
        out.writeDouble(r.lon());
        out.writeInt(8);
        out.writeDouble(r.lat());
        out.writeInt(-1); // altitude
        out.writeInt(-1); // accuracy
        out.writeInt(4);
        out.writeFloat(r.speed());
        out.writeInt(4);
        out.writeFloat(r.heading());
        out.writeInt(-1); // attributes
    }

    private static void uuid(DataOutputStream out, UUID id) throws IOException {
        out.writeInt(16);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static void timestamp(DataOutputStream out, Instant t) throws IOException {
        out.writeInt(8);
        out.writeLong(t.getEpochSecond() * 1_000_000L + t.getNano() / 1000 - PG_EPOCH_MICROS);
    }

    /** One row in COPY's default text format (tab-separated, \N for null). */
    static void textRow(
            OutputStream out, UUID tenant, UUID asset, Instant eventTime, Instant receivedAt, Workload.Row r)
            throws IOException {
        String line = tenant + "\t" + asset + "\t" + TEXT_TIME.format(eventTime) + "\t" + TEXT_TIME.format(receivedAt)
                + "\t" + r.lon() + "\t" + r.lat() + "\t\\N\t\\N\t" + r.speed() + "\t" + r.heading() + "\t\\N\n";
        out.write(line.getBytes(StandardCharsets.US_ASCII));
    }
}
