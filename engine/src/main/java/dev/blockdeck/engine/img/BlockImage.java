package dev.blockdeck.engine.img;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import dev.blockdeck.engine.block.driver.qcow2.BackingReader;
import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.HostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/** An opened image for the img tool: qcow2 (with its backing chain, read-only) or raw. */
final class BlockImage implements Closeable {
    final String format;
    final HostFile file;
    final Qcow2Image qcow2;
    private final BlockImage backing;

    private BlockImage(String format, HostFile file, Qcow2Image qcow2, BlockImage backing) {
        this.format = format;
        this.file = file;
        this.qcow2 = qcow2;
        this.backing = backing;
    }

    static BlockImage open(Path path, String fmt, boolean readOnly, boolean direct, boolean writeThrough,
            Qcow2Image.Options extra) throws IOException {
        String format = fmt != null ? fmt : ImgUtil.probe(path);
        FileChannelHostFile f = FileChannelHostFile.open(path, readOnly, direct, writeThrough);
        if (format.equals("raw")) {
            return new BlockImage("raw", f, null, null);
        }
        if (!format.equals("qcow2")) {
            f.close();
            throw new IOException("Unknown driver '" + format + "'");
        }
        try {
            dev.blockdeck.engine.block.driver.qcow2.Qcow2Header h = dev.blockdeck.engine.block.driver.qcow2.Qcow2Header
                    .read(f);
            BlockImage back = null;
            if (h.backingFile != null) {
                Path bp = ImgUtil.resolveBacking(path, h.backingFile);
                back = open(bp, h.backingFormat, true, direct, false, null);
            }
            Qcow2Image.Options o = extra != null ? extra : new Qcow2Image.Options();
            o.readOnly = readOnly;
            o.backing = back != null ? back.asBacking() : null;
            Qcow2Image img = Qcow2Image.open(f, o);
            return new BlockImage("qcow2", f, img, back);
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    long size() throws IOException {
        return qcow2 != null ? qcow2.size() : file.length();
    }

    void read(long off, ByteBuffer dst) throws IOException {
        if (qcow2 != null) {
            qcow2.read(off, dst);
        } else {
            file.read(off, dst);
        }
    }

    void write(long off, ByteBuffer src) throws IOException {
        if (qcow2 != null) {
            qcow2.write(off, src);
        } else {
            file.write(off, src);
        }
    }

    void flush() throws IOException {
        if (qcow2 != null) {
            qcow2.flush();
        } else {
            file.flush();
        }
    }

    BackingReader asBacking() {
        return new BackingReader() {
            @Override
            public long size() throws IOException {
                return BlockImage.this.size();
            }

            @Override
            public void read(long offset, ByteBuffer dst) throws IOException {
                BlockImage.this.read(offset, dst);
            }
        };
    }

    @Override
    public void close() throws IOException {
        try {
            if (qcow2 != null) {
                qcow2.close();
            } else {
                file.close();
            }
        } finally {
            if (backing != null) {
                backing.close();
            }
        }
    }
}
