package dev.blockdeck.engine.block.driver.qcow2;

import java.util.ArrayList;
import java.util.List;

/**
 * A guest request mapped from the image's cached metadata alone, with no I/O and no change: what a qcow2 node
 * does on its context thread before sending the data I/O itself (QEMU's lookup under {@code s->lock}, after which
 * the data moves without the lock). Anything it cannot answer from the cache (a table not cached, a compressed
 * cluster, an allocation, an entry that looks wrong) gives null, and the request takes the locked path, which
 * does the same through the image and reports what is wrong.
 */
final class CachedMapping {
    private CachedMapping() {
    }

    enum Kind { DATA, ZERO, BACKING }

    /**
     * One piece of a request: {@code at} is the host offset for DATA and the guest offset for BACKING (read
     * through the backing, zero past its end); {@code bufOffset} is where the piece sits in the request buffer.
     */
    record Segment(Kind kind, long at, int bufOffset, int length) {
    }

    /** The pieces of a read of {@code len} bytes at {@code offset}, or null when the cache cannot tell. */
    static List<Segment> read(Qcow2Image img, long offset, int len) {
        if (!img.usable(false) || offset < 0 || offset > img.size() - len) {
            return null;
        }
        List<Segment> out = new ArrayList<>();
        int done = 0;
        while (done < len) {
            long at = offset + done;
            long gci = at >>> img.clusterBits;
            int inCl = (int) (at & (img.clusterSize - 1));
            long max = Math.min(len - done, img.clusterSize - inCl);
            MetadataCache.Entry slice = img.cachedSlice(gci);
            if (slice == null) {
                return null;
            }
            Qcow2Image.Extent x;
            if (slice == Qcow2Image.NO_L2) {
                x = new Qcow2Image.Extent(Qcow2Image.ExtentType.UNALLOCATED, 0, max, false);
            } else {
                long[] e = img.entryIn(slice, gci);
                x = img.classify(e[0], e[1], inCl, max);
            }
            if (x == null || x.type() == Qcow2Image.ExtentType.COMPRESSED) {
                return null;
            }
            int n = (int) x.length();
            switch (x.type()) {
                case DATA -> append(out, Kind.DATA, x.host(), done, n);
                case ZERO -> append(out, Kind.ZERO, at, done, n);
                default -> append(out, Kind.BACKING, at, done, n);
            }
            done += n;
        }
        return out;
    }

    /**
     * The host pieces of a write of {@code len} bytes at {@code offset} that changes no metadata (every cluster
     * allocated and written in place), or null when any part needs the locked path.
     */
    static List<Segment> overwrite(Qcow2Image img, long offset, int len) {
        if (!img.usable(true) || offset < 0 || offset > img.size() - len) {
            return null;
        }
        List<Segment> out = new ArrayList<>();
        int done = 0;
        while (done < len) {
            long at = offset + done;
            long gci = at >>> img.clusterBits;
            int inCl = (int) (at & (img.clusterSize - 1));
            int n = (int) Math.min(len - done, img.clusterSize - inCl);
            MetadataCache.Entry slice = img.cachedSlice(gci);
            if (slice == null || slice == Qcow2Image.NO_L2) {
                return null;
            }
            long[] e = img.entryIn(slice, gci);
            long host = img.inPlaceHost(e[0], e[1], inCl, n);
            if (host < 0) {
                return null;
            }
            append(out, Kind.DATA, host, done, n);
            done += n;
        }
        return out;
    }

    /** Adds a piece, joined to the previous one when both are of one kind and continue each other. */
    private static void append(List<Segment> out, Kind kind, long at, int bufOffset, int n) {
        if (!out.isEmpty()) {
            Segment p = out.get(out.size() - 1);
            if (p.kind() == kind && p.bufOffset() + p.length() == bufOffset
                    && (kind == Kind.ZERO || p.at() + p.length() == at)) {
                out.set(out.size() - 1, new Segment(kind, p.at(), p.bufOffset(), p.length() + n));
                return;
            }
        }
        out.add(new Segment(kind, at, bufOffset, n));
    }
}
