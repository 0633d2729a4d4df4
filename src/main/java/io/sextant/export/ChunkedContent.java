package io.sextant.export;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The content of an export as it is written: cut into chunks of a fixed size, each handed to a sink
 * (which stores it) as soon as it is full, while the size and the SHA-256 of the whole are computed.
 * Holds at most one chunk in memory, however large the export.
 */
final class ChunkedContent extends OutputStream {

    /** Stores one full chunk; {@code seq} counts from 0. */
    interface Sink {
        void store(int seq, byte[] data);
    }

    private final Sink sink;
    private final byte[] buffer;
    private final MessageDigest sha256;
    private int filled;
    private int chunks;
    private long size;
    private ExportRepository.@Nullable Content finished;

    ChunkedContent(int chunkSize, Sink sink) {
        this.sink = sink;
        this.buffer = new byte[chunkSize];
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (finished != null) {
            throw new IllegalStateException("the content is finished");
        }
        sha256.update(bytes, offset, length);
        size += length;
        int at = offset;
        int left = length;
        while (left > 0) {
            int taken = Math.min(left, buffer.length - filled);
            System.arraycopy(bytes, at, buffer, filled, taken);
            filled += taken;
            at += taken;
            left -= taken;
            if (filled == buffer.length) {
                storeBuffer();
            }
        }
    }

    /** Stores what is left as the last chunk and answers what was written. */
    ExportRepository.Content finish() {
        if (finished == null) {
            if (filled > 0) {
                storeBuffer();
            }
            finished = new ExportRepository.Content(chunks, size, HexFormat.of().formatHex(sha256.digest()));
        }
        return finished;
    }

    private void storeBuffer() {
        sink.store(chunks, Arrays.copyOf(buffer, filled));
        chunks++;
        filled = 0;
    }
}
