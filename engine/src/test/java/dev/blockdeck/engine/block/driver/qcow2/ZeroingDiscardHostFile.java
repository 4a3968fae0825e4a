package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A host file whose discards read back as zeros, as qemu-img's file driver leaves them (it punches holes), so an
 * image the core changed can be compared byte for byte with one qemu-img changed.
 */
final class ZeroingDiscardHostFile implements HostFile {
    private final HostFile inner;

    private ZeroingDiscardHostFile(HostFile inner) {
        this.inner = inner;
    }

    static ZeroingDiscardHostFile open(Path p) throws IOException {
        return new ZeroingDiscardHostFile(FileChannelHostFile.open(p, false));
    }

    @Override
    public void read(long pos, ByteBuffer dst) throws IOException {
        inner.read(pos, dst);
    }

    @Override
    public void write(long pos, ByteBuffer src) throws IOException {
        inner.write(pos, src);
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    @Override
    public long length() throws IOException {
        return inner.length();
    }

    @Override
    public void truncate(long size) throws IOException {
        inner.truncate(size);
    }

    @Override
    public void discard(long pos, long len) throws IOException {
        long end = Math.min(pos + len, inner.length());
        for (long p = pos; p < end; p += 1 << 20) {
            inner.write(p, ByteBuffer.allocate((int) Math.min(1 << 20, end - p)));
        }
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
