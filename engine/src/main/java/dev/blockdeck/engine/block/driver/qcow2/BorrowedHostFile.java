package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A host file lent to an image core: the core may "close" it without closing the owner's file. */
public final class BorrowedHostFile implements HostFile {
    private final HostFile f;

    private BorrowedHostFile(HostFile f) {
        this.f = f;
    }

    public static HostFile of(HostFile f) {
        return new BorrowedHostFile(f);
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
        f.flush();
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
