package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A host file that records every write (discards as writes of zeros) in epochs separated by flushes, over a real
 * file it also writes to. A crash may keep any subset of the writes since the last completed flush, so tests
 * rebuild the images a crash could leave from the base bytes and the journal.
 */
final class JournalHostFile implements HostFile {
    record Write(long pos, byte[] data) {
    }

    private final HostFile inner;
    private final List<List<Write>> epochs = new ArrayList<>();

    JournalHostFile(HostFile inner) {
        this.inner = inner;
        epochs.add(new ArrayList<>());
    }

    /** Writes grouped by flush: epoch i holds the writes after the i-th flush (the last may be empty). */
    List<List<Write>> epochs() {
        return epochs;
    }

    @Override
    public void read(long pos, ByteBuffer dst) throws IOException {
        inner.read(pos, dst);
    }

    @Override
    public void write(long pos, ByteBuffer src) throws IOException {
        byte[] b = new byte[src.remaining()];
        src.duplicate().get(b);
        epochs.get(epochs.size() - 1).add(new Write(pos, b));
        inner.write(pos, src);
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
        if (!epochs.get(epochs.size() - 1).isEmpty()) {
            epochs.add(new ArrayList<>());
        }
    }

    @Override
    public void discard(long pos, long len) throws IOException {
        long end = Math.min(pos + len, inner.length());
        if (end > pos) {
            write(pos, ByteBuffer.allocate((int) (end - pos)));
        }
    }

    @Override
    public long length() throws IOException {
        return inner.length();
    }

    @Override
    public void truncate(long size) throws IOException {
        throw new IOException("not journaled");
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    /** {@code base} with the given writes applied in order (growing it as needed). */
    static byte[] apply(byte[] base, List<Write> writes) {
        long len = base.length;
        for (Write w : writes) {
            len = Math.max(len, w.pos() + w.data().length);
        }
        byte[] out = java.util.Arrays.copyOf(base, (int) len);
        for (Write w : writes) {
            System.arraycopy(w.data(), 0, out, (int) w.pos(), w.data().length);
        }
        return out;
    }
}
