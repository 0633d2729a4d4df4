package io.sextant.platform.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * A request body that tells {@code check} how many bytes have been read so far after every read,
 * so that a filter can refuse a body as it arrives (too large, too slow) by throwing.
 */
final class CountingInputStream extends ServletInputStream {

    /** Sees the running total of bytes read; throws to refuse the rest of the body. */
    @FunctionalInterface
    interface Check {
        void bytesRead(long total) throws IOException;
    }

    private final ServletInputStream delegate;
    private final Check check;
    private long total;

    CountingInputStream(ServletInputStream delegate, Check check) {
        this.delegate = delegate;
        this.check = check;
    }

    @Override
    public int read() throws IOException {
        int b = delegate.read();
        if (b >= 0) {
            total++;
            check.bytesRead(total);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = delegate.read(buffer, offset, length);
        if (n > 0) {
            total += n;
            check.bytesRead(total);
        }
        return n;
    }

    @Override
    public boolean isFinished() {
        return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        delegate.setReadListener(listener);
    }
}
