package dev.blockdeck.engine.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Create;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/**
 * Hand-made image chains for the cut checker's tests: qcow2 layers (the engine's own qcow2 core, each overlay
 * naming its backing as qemu-img would) or raw files, with stamps written where a test says.
 */
final class StampedImages {
    static final int BS = 4096;

    private StampedImages() {
    }

    /** One stamped write: {@code block} gets writer {@code writer}'s sequence {@code seq}. */
    record W(long block, int writer, long seq) {
    }

    static W w(long block, int writer, long seq) {
        return new W(block, writer, seq);
    }

    /** A qcow2 layer over {@code chainBelow} (base first; empty for a base) with {@code writes} in it. */
    static Path qcow2(Path file, long size, int clusterSize, List<Path> chainBelow, W... writes) throws IOException {
        Qcow2Create.Options o = new Qcow2Create.Options();
        o.size = size;
        o.clusterSize = (long) clusterSize;
        if (!chainBelow.isEmpty()) {
            o.backingFile = chainBelow.get(chainBelow.size() - 1).toString();
            o.backingFmt = chainBelow.get(chainBelow.size() - 1).toString().endsWith(".raw") ? "raw" : "qcow2";
        }
        try (FileChannelHostFile f = FileChannelHostFile.create(file)) {
            Qcow2Create.create(f, o);
        }
        List<ImageLayer> below = new ArrayList<>();
        try {
            ImageLayer prev = null;
            for (Path p : chainBelow) {
                prev = ImageLayer.open(p, prev);
                below.add(prev);
            }
            Qcow2Image.Options rw = new Qcow2Image.Options();
            if (prev != null) {
                rw.backing(prev.asBacking());
            }
            try (Qcow2Image img = Qcow2Image.open(FileChannelHostFile.open(file, false), rw)) {
                for (W x : writes) {
                    img.write(x.block() * BS, stamp(x));
                }
            }
        } finally {
            for (ImageLayer l : below) {
                l.close();
            }
        }
        return file;
    }

    /**
     * A qcow2 layer written without reading the layers below (so only for writes that share no cluster with data
     * below: the rest of a cluster a write allocates reads as zeroes). Cheap enough for hundreds of layers.
     */
    static Path qcow2Layer(Path file, long size, Path backing, W... writes) throws IOException {
        Qcow2Create.Options o = new Qcow2Create.Options();
        o.size = size;
        if (backing != null) {
            o.backingFile = backing.toString();
            o.backingFmt = "qcow2";
        }
        try (FileChannelHostFile f = FileChannelHostFile.create(file)) {
            Qcow2Create.create(f, o);
        }
        try (Qcow2Image img = Qcow2Image.open(FileChannelHostFile.open(file, false), new Qcow2Image.Options())) {
            for (W x : writes) {
                img.write(x.block() * BS, stamp(x));
            }
        }
        return file;
    }

    /** A raw image of {@code size} bytes with {@code writes}. */
    static Path raw(Path file, long size, W... writes) throws IOException {
        try (FileChannelHostFile f = FileChannelHostFile.create(file)) {
            f.truncate(size);
            for (W x : writes) {
                f.write(x.block() * BS, stamp(x));
            }
        }
        return file;
    }

    /** Opens a qcow2 layer read-write (no backing) for a test to damage or zero it. */
    static Qcow2Image openRw(Path file) throws IOException {
        return Qcow2Image.open(FileChannelHostFile.open(file, false), new Qcow2Image.Options());
    }

    static ByteBuffer stamp(W x) {
        ByteBuffer b = ByteBuffer.allocate(BS);
        BlockStamp.write(b, new BlockStamp.Stamp(x.block(), 1, x.seq(), x.writer()));
        return b;
    }
}
