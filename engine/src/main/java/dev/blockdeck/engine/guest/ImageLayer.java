package dev.blockdeck.engine.guest;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.blockdeck.engine.block.driver.qcow2.BackingReader;
import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/**
 * One image file of a chain, opened read-only over the layer below it (for {@link CutChecker}): a qcow2 image
 * (recognised by its magic) reads what it does not allocate through the layer below, a raw file is all data.
 * The backing file name recorded in a qcow2 header is not followed: the caller says what the chain is.
 */
abstract class ImageLayer implements Closeable {
    private static final int QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"

    /** Visits a run of guest bytes this layer decides (allocated data or zeroes, as opposed to "see below"). */
    interface RangeVisitor {
        void range(long offset, long length) throws IOException;
    }

    static ImageLayer open(Path file, ImageLayer below) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(4);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(magic, 0);
        }
        if (magic.position() == 4 && magic.getInt(0) == QCOW2_MAGIC) {
            return new Qcow2Layer(file, below);
        }
        return new RawLayer(file);
    }

    /** The guest size this layer shows. */
    abstract long size() throws IOException;

    /** Guest data as this layer (and those below) show it. */
    abstract void read(long offset, ByteBuffer dst) throws IOException;

    /** Every run of bytes this layer itself decides, in order. */
    abstract void visitAllocated(RangeVisitor v) throws IOException;

    BackingReader asBacking() {
        return new BackingReader() {
            @Override
            public long size() throws IOException {
                return ImageLayer.this.size();
            }

            @Override
            public void read(long offset, ByteBuffer dst) throws IOException {
                ImageLayer.this.read(offset, dst);
            }
        };
    }

    private static final class Qcow2Layer extends ImageLayer {
        private final Qcow2Image image;

        Qcow2Layer(Path file, ImageLayer below) throws IOException {
            FileChannelHostFile host = FileChannelHostFile.open(file, true);
            try {
                Qcow2Image.Options o = new Qcow2Image.Options().readOnly(true);
                if (below != null) {
                    o.backing(below.asBacking());
                }
                image = Qcow2Image.open(host, o);
            } catch (IOException | RuntimeException e) {
                host.close();
                throw e;
            }
        }

        @Override
        long size() {
            return image.size();
        }

        @Override
        void read(long offset, ByteBuffer dst) throws IOException {
            image.read(offset, dst);
        }

        @Override
        void visitAllocated(RangeVisitor v) throws IOException {
            long size = image.size();
            long runStart = -1;
            long off = 0;
            while (off < size) {
                Qcow2Image.Extent x = image.map(off, size - off);
                boolean decided = x.type() != Qcow2Image.ExtentType.UNALLOCATED;
                if (decided && runStart < 0) {
                    runStart = off;
                } else if (!decided && runStart >= 0) {
                    v.range(runStart, off - runStart);
                    runStart = -1;
                }
                off += x.length();
            }
            if (runStart >= 0) {
                v.range(runStart, size - runStart);
            }
        }

        @Override
        public void close() throws IOException {
            image.close();
        }
    }

    private static final class RawLayer extends ImageLayer {
        private final FileChannel ch;

        RawLayer(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        }

        @Override
        long size() throws IOException {
            return ch.size();
        }

        @Override
        void read(long offset, ByteBuffer dst) throws IOException {
            long pos = offset;
            while (dst.hasRemaining()) {
                int n = ch.read(dst, pos);
                if (n < 0) {
                    while (dst.hasRemaining()) {
                        dst.put((byte) 0);
                    }
                    return;
                }
                pos += n;
            }
        }

        @Override
        void visitAllocated(RangeVisitor v) throws IOException {
            long size = ch.size();
            if (size > 0) {
                v.range(0, size);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
