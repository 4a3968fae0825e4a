package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A host file lent to an image core: the core may "close" it without closing the owner's file. */
public final class BorrowedHostFile implements HostFile {
    private final HostFile f;
    private final boolean flushes;

    private BorrowedHostFile(HostFile f, boolean flushes) {
        this.f = f;
        this.flushes = flushes;
    }

    public static HostFile of(HostFile f) {
        return new BorrowedHostFile(f, true);
    }

    /**
     * For formatting a new image: flushes do nothing, as QEMU creates images with BDRV_O_NO_FLUSH (a half-written
     * new image is garbage either way; durability starts when it is opened for use).
     */
    public static HostFile withoutFlush(HostFile f) {
        return new BorrowedHostFile(f, false);
    }

    @Override
    public void read(long pos, ByteBuffer dst) throws IOException {
        f.read(pos, dst);
    }

    @Override
    public void write(long pos, ByteBuffer src) throws IOException {
        f.write(pos, src);
    }

    @Override
    public void flush() throws IOException {
        if (flushes) {
            f.flush();
        }
    }

    @Override
    public long length() throws IOException {
        return f.length();
    }

    @Override
    public void truncate(long size) throws IOException {
        f.truncate(size);
    }

    @Override
    public void close() {
        // the owner closes the file
    }
}
