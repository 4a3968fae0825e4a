package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image.Extent;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image.ExtentType;

/**
 * Guest reads through the image's metadata: mapping a guest range to one run of one kind, and reading it from
 * the host file, from a decompressed cluster, from the backing, or as zeros.
 */
final class GuestReads {
    private final Qcow2Image img;
    private final HostFile file;
    private final int clusterBits;
    private final int clusterSize;

    GuestReads(Qcow2Image img) {
        this.img = img;
        this.file = img.file;
        this.clusterBits = img.clusterBits;
        this.clusterSize = img.clusterSize;
    }

    /** How guest bytes from {@code offset} on (at most {@code max}) map, as one run of one kind. */
    Extent map(long offset, long max) throws IOException {
        img.checkUsable(false);
        long gci = offset >>> clusterBits;
        int inCl = (int) (offset & (clusterSize - 1));
        long len = Math.min(max, clusterSize - inCl);
        try (L2Ref r = img.l2Tables.l2For(gci, false)) {
            if (r == null) {
                return new Extent(ExtentType.UNALLOCATED, 0, len, false);
            }
            long e = r.entry();
            Extent x = img.entries.classify(e, r.bitmap(), inCl, len);
            if (x == null) {
                long host = e & L2E_OFFSET_MASK;
                if (!L2Entries.isCompressed(e) && (host & (clusterSize - 1)) != 0) {
                    img.signalCorruption(true, -1, -1, CFormat.format(
                            "Cluster allocation offset %#x unaligned (L2 offset: %#x, L2 index: %#x)", host,
                            r.l2Offset, r.l2Index));
                    throw new Qcow2Exception(Qcow2Exception.Kind.IO, "unaligned cluster offset");
                }
                invalidEntry(r);
            }
            return x;
        }
    }

    private void invalidEntry(L2Ref r) throws IOException {
        img.signalCorruption(true, -1, -1, CFormat.format(
                "Invalid cluster entry found  (L2 offset: %#x, L2 index: %#x)", r.l2Offset, r.l2Index));
        throw new Qcow2Exception(Qcow2Exception.Kind.IO, "invalid L2 entry");
    }

    /** Reads {@code dst.remaining()} guest bytes from {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException {
        img.checkUsable(false);
        img.checkRange(offset, dst.remaining());
        while (dst.hasRemaining()) {
            Extent x = map(offset, dst.remaining());
            int n = (int) x.length();
            ByteBuffer part = dst.slice(dst.position(), n);
            switch (x.type()) {
                case DATA -> file.read(x.host(), part);
                case ZERO -> zero(part);
                case UNALLOCATED -> readBacking(offset, part);
                case COMPRESSED -> {
                    byte[] c = decompressCluster(x.host());
                    part.put(c, (int) (offset & (clusterSize - 1)), n);
                }
                default -> throw new IllegalStateException();
            }
            dst.position(dst.position() + n);
            offset += n;
        }
    }

    /** The guest view of [offset, offset+len) within one cluster, as it is before a write. */
    void readOld(long offset, byte[] buf, int bufOff, int len) throws IOException {
        img.read(offset, ByteBuffer.wrap(buf, bufOff, len));
    }

    private static void zero(ByteBuffer b) {
        if (b.hasArray()) {
            Arrays.fill(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit(), (byte) 0);
            b.position(b.limit());
        } else {
            while (b.remaining() >= 8) {
                b.putLong(0);
            }
            while (b.hasRemaining()) {
                b.put((byte) 0);
            }
        }
    }

    private void readBacking(long offset, ByteBuffer part) throws IOException {
        if (!img.hasBacking()) {
            zero(part);
            return;
        }
        BackingReader backing = img.backing;
        long bsize = backing.size();
        int n = part.remaining();
        long inBacking = Math.max(0, Math.min(n, bsize - offset));
        if (inBacking > 0) {
            ByteBuffer b = part.slice(part.position(), (int) inBacking);
            backing.read(offset, b);
        }
        part.position(part.position() + (int) inBacking);
        zero(part);
    }

    private byte[] decompressCluster(long e) throws IOException {
        long[] r = img.entries.compressedRange(e);
        byte[] in = new byte[(int) r[1]];
        file.read(r[0], in, 0, in.length);
        byte[] out = new byte[clusterSize];
        if (!Compression.decompress(img.header.compressionType, in, in.length, out)) {
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Could not decompress cluster at " + r[0]);
        }
        return out;
    }
}
