package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link HostFile} on a {@link FileChannel}. With {@code direct} the file is opened O_DIRECT (QEMU's
 * {@code cache.direct=on}); requests that are not 4 KiB aligned in offset, length or memory go through an aligned
 * bounce buffer (read-modify-write for writes, which the core only does for metadata, from one thread).
 * With {@code writeThrough} every write is followed by a data sync ({@code cache=writethrough/directsync}).
 */
public final class FileChannelHostFile implements HostFile {
    private static final int ALIGN = 4096;

    private final Path path;
    private final FileChannel ch;
    private final boolean direct;
    private final boolean writeThrough;
    private final boolean readOnly;

    private FileChannelHostFile(Path path, FileChannel ch, boolean direct, boolean writeThrough, boolean readOnly) {
        this.path = path;
        this.ch = ch;
        this.direct = direct;
        this.writeThrough = writeThrough;
        this.readOnly = readOnly;
    }

    public static FileChannelHostFile open(Path path, boolean readOnly) throws IOException {
        return open(path, readOnly, false, false);
    }

    public static FileChannelHostFile open(Path path, boolean readOnly, boolean direct, boolean writeThrough)
            throws IOException {
        List<OpenOption> opts = new ArrayList<>();
        opts.add(StandardOpenOption.READ);
        if (!readOnly) {
            opts.add(StandardOpenOption.WRITE);
        }
        if (direct) {
            opts.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
        }
        FileChannel ch = FileChannel.open(path, opts.toArray(OpenOption[]::new));
        return new FileChannelHostFile(path, ch, direct, writeThrough, readOnly);
    }

    /** Creates (or truncates to empty) a file and opens it read-write. */
    public static FileChannelHostFile create(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        return new FileChannelHostFile(path, ch, false, false, false);
    }

    /**
     * Another descriptor of the same file, opened the same way, for a thread of its own: every request on one
     * FileChannel registers its thread in a set guarded by one monitor, which many threads doing I/O at once
     * contend for (and convoy on, when its holder is preempted).
     */
    public FileChannelHostFile reopen() throws IOException {
        return open(path, readOnly, direct, writeThrough);
    }

    public Path path() {
        return path;
    }

    public boolean isDirect() {
        return direct;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    private static boolean aligned(long pos, ByteBuffer b) {
        return (pos % ALIGN) == 0 && (b.remaining() % ALIGN) == 0 && b.isDirect()
                && (addressOf(b) % ALIGN) == 0;
    }

    private static long addressOf(ByteBuffer b) {
        // alignedSlice(ALIGN) returns the buffer itself-sized only when already aligned at position
        try {
            return b.alignmentOffset(b.position(), ALIGN) == 0 ? 0 : 1;
        } catch (UnsupportedOperationException e) {
            return 1;
        }
    }

    private static ByteBuffer alignedBuffer(int size) {
        return ByteBuffer.allocateDirect(size + ALIGN).alignedSlice(ALIGN).limit(size);
    }

    @Override
    public void read(long pos, ByteBuffer dst) throws IOException {
        if (direct && !aligned(pos, dst)) {
            long start = pos - (pos % ALIGN);
            long end = pos + dst.remaining();
            long aEnd = (end + ALIGN - 1) / ALIGN * ALIGN;
            ByteBuffer bounce = alignedBuffer((int) (aEnd - start));
            readRaw(start, bounce);
            bounce.position((int) (pos - start)).limit((int) (end - start));
            dst.put(bounce);
            return;
        }
        readRaw(pos, dst);
    }

    private void readRaw(long pos, ByteBuffer dst) throws IOException {
        long p = pos;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, p);
            if (n < 0) {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            p += n;
            if (direct && dst.hasRemaining()) {
                // a short O_DIRECT read means end of file; reading on from an unaligned offset would fail (EINVAL)
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
        }
    }

    @Override
    public void write(long pos, ByteBuffer src) throws IOException {
        if (direct && !aligned(pos, src)) {
            long start = pos - (pos % ALIGN);
            long end = pos + src.remaining();
            long aEnd = (end + ALIGN - 1) / ALIGN * ALIGN;
            ByteBuffer bounce = alignedBuffer((int) (aEnd - start));
            long oldLen = ch.size();
            readRaw(start, bounce);
            bounce.clear().limit((int) (aEnd - start));
            bounce.position((int) (pos - start));
            bounce.put(src);
            bounce.clear().limit((int) (aEnd - start));
            writeRaw(start, bounce);
            if (end > oldLen && aEnd > end) {
                // do not leave the alignment padding as file length
                ch.truncate(Math.max(oldLen, end));
            }
        } else {
            writeRaw(pos, src);
        }
        if (writeThrough) {
            ch.force(false);
        }
    }

    private void writeRaw(long pos, ByteBuffer src) throws IOException {
        long p = pos;
        while (src.hasRemaining()) {
            p += ch.write(src, p);
        }
    }

    @Override
    public void flush() throws IOException {
        ch.force(false);
    }

    @Override
    public long length() throws IOException {
        return ch.size();
    }

    @Override
    public void truncate(long size) throws IOException {
        long cur = ch.size();
        if (size < cur) {
            ch.truncate(size);
        } else if (size > cur) {
            // FileChannel.truncate never grows: write one zero byte at the new end
            if (direct) {
                write(size - 1, ByteBuffer.wrap(new byte[1]));
            } else {
                ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
        }
    }

    @Override
    public long allocatedSize() throws IOException {
        try {
            Process p = new ProcessBuilder("stat", "-L", "-c", "%b %B", path.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() == 0) {
                String[] f = out.split("\\s+");
                return Long.parseLong(f[0]) * Long.parseLong(f[1]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            // fall through
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
