package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@code qemu-img check} for qcow2: rebuilds every cluster's reference count from the metadata (header, L1/L2
 * tables of the active layer and of internal snapshots, snapshot table, refcount table and blocks, bitmaps) and
 * compares with the refcounts on disk. More on disk than referenced is a leak; less is a corruption. Also checks
 * OFLAG_COPIED and reserved bits. Repairs leaks ({@link #FIX_LEAKS}) and refcount errors ({@link #FIX_ERRORS},
 * rebuilding the refcount structure when a referenced cluster has refcount 0). Messages as QEMU prints them.
 */
public final class Qcow2Check {
    public static final int FIX_LEAKS = 1;
    public static final int FIX_ERRORS = 2;

    private Qcow2Check() {
    }

    /** QEMU's BdrvCheckResult (+ the fragmentation info). */
    public static final class Result {
        public long corruptions;
        public long leaks;
        public long checkErrors;
        public long corruptionsFixed;
        public long leaksFixed;
        public long imageEndOffset;
        public long totalClusters;
        public long allocatedClusters;
        public long fragmentedClusters;
        public long compressedClusters;
        /** The check could not complete (QEMU returns -EIO: "Check failed: Input/output error"). */
        public boolean failed;

        Result copy() {
            Result r = new Result();
            r.corruptions = corruptions;
            r.leaks = leaks;
            r.checkErrors = checkErrors;
            r.corruptionsFixed = corruptionsFixed;
            r.leaksFixed = leaksFixed;
            r.imageEndOffset = imageEndOffset;
            r.totalClusters = totalClusters;
            r.allocatedClusters = allocatedClusters;
            r.fragmentedClusters = fragmentedClusters;
            r.compressedClusters = compressedClusters;
            r.failed = failed;
            return r;
        }
    }

    private static final class State {
        final Qcow2Image img;
        final PrintStream err;
        long[] refs;
        long nbClusters;
        boolean rebuild;
        long highest = -1;

        State(Qcow2Image img, PrintStream err) {
            this.img = img;
            this.err = err;
        }

        void log(String s) {
            if (err != null) {
                err.println(s);
            }
        }
    }

    /** Checks {@code img} (opened read-write in check mode when repairing) and repairs as {@code fix} says. */
    public static Result check(Qcow2Image img, int fix, PrintStream err) throws IOException {
        if (img.isReadOnly() && fix != 0) {
            throw new Qcow2Exception(Qcow2Exception.Kind.ACCESS, "Image is read-only; cannot repair");
        }
        if (!img.isReadOnly()) {
            img.flushCaches();
        }
        State st = new State(img, err);
        Result res = new Result();
        res.totalClusters = (img.header.size + img.clusterSize - 1) >>> img.clusterBits;
        calculate(st, res, fix);
        Result pre = res.copy();
        compare(st, res, 0);
        if (st.rebuild && (fix & FIX_ERRORS) != 0) {
            Result old = res.copy();
            long freshLeaks = 0;
            st.log("Rebuilding refcount structure");
            rebuildRefcounts(st);
            res.corruptions = 0;
            res.leaks = 0;
            st.rebuild = false;
            st.highest = -1;
            Result calc = new Result();
            calc.totalClusters = res.totalClusters;
            calculate(st, calc, 0);
            if ((fix & FIX_LEAKS) != 0) {
                Result saved = res;
                Result tmp = new Result();
                compare(st, tmp, FIX_LEAKS);
                if (st.rebuild) {
                    st.log("ERROR rebuilt refcount structure is still broken");
                }
                freshLeaks = tmp.leaks;
                res = saved;
            } else {
                Result tmp = new Result();
                compare(st, tmp, 0);
            }
            if (res.corruptions < old.corruptions) {
                res.corruptionsFixed += old.corruptions - res.corruptions;
            }
            if (res.leaks < old.leaks) {
                res.leaksFixed += old.leaks - res.leaks;
            }
            res.leaks += freshLeaks;
            res.allocatedClusters = calc.allocatedClusters;
            res.fragmentedClusters = calc.fragmentedClusters;
            res.compressedClusters = calc.compressedClusters;
        } else if (fix != 0) {
            if (st.rebuild) {
                st.log("ERROR need to rebuild refcount structures");
                res.checkErrors++;
                res.failed = true;
                res.imageEndOffset = (st.highest + 1) << img.clusterBits;
                return res;
            }
            if (res.leaks > 0 || res.corruptions > 0) {
                res = pre;
                st.highest = -1;
                compare(st, res, fix);
            }
        }
        checkOflagCopied(st, res, fix);
        img.flushCaches();
        res.imageEndOffset = (st.highest + 1) << img.clusterBits;
        if (fix != 0 && res.checkErrors == 0 && res.corruptions == 0 && !img.isReadOnly()) {
            img.l2Cache.flush();
            img.refcounts.cache.flush();
            img.markClean();
            img.markConsistent();
        }
        return res;
    }

    // ------------------------------------------------------------- computing references

    private static void calculate(State st, Result res, int fix) throws IOException {
        Qcow2Image img = st.img;
        long fileLen = img.file.length();
        st.nbClusters = (fileLen + img.clusterSize - 1) >>> img.clusterBits;
        st.refs = new long[(int) Math.max(1, st.nbClusters)];
        inc(st, res, 0, img.clusterSize);
        checkL1(st, res, img.l1Offset, img.l1.length, true, fix);
        checkSnapshots(st, res, fix);
        inc(st, res, img.refcounts.tableOffset, (long) img.refcounts.table.length * 8);
        checkBitmaps(st, res);
        checkRefblocks(st, res);
    }

    private static void inc(State st, Result res, long offset, long size) throws IOException {
        if (size <= 0) {
            return;
        }
        Qcow2Image img = st.img;
        long fileLen = img.file.length();
        if (offset + size - fileLen >= img.clusterSize) {
            st.log(String.format("ERROR: counting reference for region exceeding the end of the file by one "
                    + "cluster or more: offset 0x%x size 0x%x", offset, size));
            res.corruptions++;
            return;
        }
        long start = offset >>> img.clusterBits;
        long last = (offset + size - 1) >>> img.clusterBits;
        long max = img.refcounts.refcountMax();
        for (long k = start; k <= last; k++) {
            if (k >= st.refs.length) {
                st.refs = Arrays.copyOf(st.refs, (int) Math.max(k + 1, st.refs.length * 2L));
            }
            if (k >= st.nbClusters) {
                st.nbClusters = k + 1;
            }
            if (st.refs[(int) k] == max) {
                st.log(String.format("ERROR: overflow cluster offset=0x%x", k << img.clusterBits));
                res.corruptions++;
                continue;
            }
            st.refs[(int) k]++;
        }
    }

    private static long[] readTable(Qcow2Image img, long offset, long entries) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) (entries * 8));
        img.file.read(offset, b);
        b.clear();
        long[] t = new long[(int) entries];
        for (int i = 0; i < entries; i++) {
            t[i] = b.getLong();
        }
        return t;
    }

    private static void checkL1(State st, Result res, long l1Offset, long l1Size, boolean active, int fix)
            throws IOException {
        Qcow2Image img = st.img;
        if (l1Size == 0) {
            return;
        }
        inc(st, res, l1Offset, l1Size * 8);
        long[] l1 = active ? img.l1 : readTable(img, l1Offset, l1Size);
        for (int i = 0; i < l1Size; i++) {
            long e = l1[i];
            if ((e & L1E_RESERVED_MASK) != 0) {
                st.log(String.format("ERROR found L1 entry with reserved bits set: %x", e));
                res.corruptions++;
            }
            long l2 = e & L1E_OFFSET_MASK;
            if (l2 == 0) {
                continue;
            }
            inc(st, res, l2, img.clusterSize);
            if ((l2 & (img.clusterSize - 1)) != 0) {
                st.log(String.format("ERROR l2_offset=%x: Table is not cluster aligned; L1 entry corrupted", l2));
                res.corruptions++;
            }
            checkL2(st, res, l2, active, fix);
        }
    }

    private static void checkL2(State st, Result res, long l2Offset, boolean active, int fix) throws IOException {
        Qcow2Image img = st.img;
        byte[] t = new byte[img.clusterSize];
        img.file.read(l2Offset, t, 0, t.length);
        ByteBuffer b = ByteBuffer.wrap(t);
        long nextContiguous = 0;
        boolean dirty = false;
        for (int i = 0; i < img.l2Entries; i++) {
            long e = b.getLong(i * img.l2EntryBytes);
            long bm = img.extL2 ? b.getLong(i * img.l2EntryBytes + 8) : 0;
            boolean compressed = (e & OFLAG_COMPRESSED) != 0;
            if (!compressed && (e & L2E_STD_RESERVED_MASK) != 0) {
                st.log(String.format("ERROR found l2 entry with reserved bits set: %x", e));
                res.corruptions++;
            }
            long off = e & L2E_OFFSET_MASK;
            if (compressed) {
                if ((e & OFLAG_COPIED) != 0) {
                    st.log(String.format(
                            "ERROR: coffset=0x%x: copied flag must never be set for compressed clusters",
                            e & img.cOffsetMask));
                    e &= ~OFLAG_COPIED;
                    res.corruptions++;
                }
                if (img.extL2 && bm != 0) {
                    st.log(String.format(
                            "ERROR compressed cluster %d with non-zero subcluster allocation bitmap, entry=0x%x", i,
                            e));
                    res.corruptions++;
                    continue;
                }
                long[] r = img.compressedRange(e);
                inc(st, res, r[0], r[1]);
                if (active) {
                    res.allocatedClusters++;
                    res.compressedClusters++;
                    res.fragmentedClusters++;
                }
            } else if ((e & OFLAG_ZERO) != 0 && !img.extL2 && off == 0) {
                // zero plain
            } else if (off == 0) {
                if ((bm & L2_BITMAP_ALL_ALLOC) != 0) {
                    res.corruptions++;
                    st.log("ERROR: Unallocated cluster has non-zero subcluster allocation bitmap");
                }
            } else {
                if (((bm >>> 32) & bm) != 0) {
                    res.corruptions++;
                    st.log(String.format(
                            "ERROR offset=%x: Allocated cluster has corrupted subcluster allocation bitmap", off));
                }
                if ((off & (img.clusterSize - 1)) != 0) {
                    res.corruptions++;
                    boolean containsData = img.extL2 ? (bm & L2_BITMAP_ALL_ALLOC) != 0 : (e & OFLAG_ZERO) == 0;
                    if (!containsData) {
                        boolean repair = (fix & FIX_ERRORS) != 0 && active;
                        st.log(String.format(
                                "%s offset=%x: Preallocated cluster is not properly aligned; L2 entry corrupted.",
                                repair ? "Repairing" : "ERROR", off));
                        if (repair) {
                            long ne = img.extL2 ? 0 : OFLAG_ZERO;
                            b.putLong(i * img.l2EntryBytes, ne);
                            dirty = true;
                            res.corruptions--;
                            res.corruptionsFixed++;
                            continue;
                        }
                    } else {
                        st.log(String.format(
                                "ERROR offset=%x: Data cluster is not properly aligned; L2 entry corrupted.", off));
                    }
                }
                if (active) {
                    res.allocatedClusters++;
                    if (nextContiguous != 0 && off != nextContiguous) {
                        res.fragmentedClusters++;
                    }
                    nextContiguous = off + img.clusterSize;
                }
                inc(st, res, off, img.clusterSize);
            }
        }
        if (dirty) {
            img.l2Cache.invalidateAll();
            img.file.write(l2Offset, ByteBuffer.wrap(t));
            img.file.flush();
        }
    }

    private static void checkSnapshots(State st, Result res, int fix) throws IOException {
        Qcow2Image img = st.img;
        Qcow2Header h = img.header;
        if (h.nbSnapshots == 0) {
            return;
        }
        long off = h.snapshotsOffset;
        long start = off;
        for (int i = 0; i < h.nbSnapshots; i++) {
            byte[] hdr = new byte[40];
            img.file.read(off, hdr, 0, 40);
            ByteBuffer b = ByteBuffer.wrap(hdr);
            long l1Off = b.getLong(0);
            long l1Size = Integer.toUnsignedLong(b.getInt(8));
            int idLen = b.getShort(12) & 0xffff;
            int nameLen = b.getShort(14) & 0xffff;
            long extra = Integer.toUnsignedLong(b.getInt(36));
            byte[] strs = new byte[idLen + nameLen];
            img.file.read(off + 40 + extra, strs, 0, strs.length);
            String id = new String(strs, 0, idLen, java.nio.charset.StandardCharsets.UTF_8);
            String name = new String(strs, idLen, nameLen, java.nio.charset.StandardCharsets.UTF_8);
            off += 40 + extra + idLen + nameLen;
            off = (off + 7) & ~7L;
            if ((l1Off & (img.clusterSize - 1)) != 0) {
                st.log(CFormat.format("ERROR snapshot %s (%s) l1_offset=%#x: L1 table is not cluster aligned; "
                        + "snapshot table entry corrupted", id, name, l1Off));
                res.corruptions++;
                continue;
            }
            if (l1Size > MAX_L1_BYTES / 8) {
                st.log(CFormat.format("ERROR snapshot %s (%s) l1_size=%#x: L1 table is too large; "
                        + "snapshot table entry corrupted", id, name, l1Size));
                res.corruptions++;
                continue;
            }
            checkL1(st, res, l1Off, l1Size, false, fix);
        }
        inc(st, res, start, off - start);
    }

    private static void checkBitmaps(State st, Result res) throws IOException {
        Qcow2Image img = st.img;
        Qcow2Header h = img.header;
        if (h.bitmapsExt == null || h.bitmapsExt.length < 24 || (h.autoclearFeatures & AUTOCLEAR_BITMAPS) == 0) {
            return;
        }
        ByteBuffer x = ByteBuffer.wrap(h.bitmapsExt);
        int nb = x.getInt(0);
        long dirSize = x.getLong(8);
        long dirOff = x.getLong(16);
        if (dirSize <= 0 || dirSize > (64L << 20)) {
            return;
        }
        inc(st, res, dirOff, dirSize);
        byte[] dir = new byte[(int) dirSize];
        img.file.read(dirOff, dir, 0, dir.length);
        ByteBuffer d = ByteBuffer.wrap(dir);
        int p = 0;
        for (int i = 0; i < nb && p + 24 <= dir.length; i++) {
            long tOff = d.getLong(p);
            long tSize = Integer.toUnsignedLong(d.getInt(p + 8));
            int nameSize = d.getShort(p + 18) & 0xffff;
            long extra = Integer.toUnsignedLong(d.getInt(p + 20));
            inc(st, res, tOff, tSize * 8);
            long[] t = readTable(img, tOff, tSize);
            for (long e : t) {
                long o = e & 0x00fffffffffffe00L;
                if (o != 0) {
                    inc(st, res, o, img.clusterSize);
                }
            }
            p += (int) ((24 + extra + nameSize + 7) & ~7L);
        }
    }

    private static void checkRefblocks(State st, Result res) throws IOException {
        Qcow2Image img = st.img;
        long[] table = img.refcounts.table;
        for (int i = 0; i < table.length; i++) {
            long e = table[i];
            if ((e & REFT_RESERVED_MASK) != 0) {
                st.log(String.format("ERROR refcount table entry %d has reserved bits set", i));
                res.corruptions++;
                st.rebuild = true;
                continue;
            }
            long off = e & REFT_OFFSET_MASK;
            long cluster = off >>> img.clusterBits;
            if ((off & (img.clusterSize - 1)) != 0) {
                st.log(String.format("ERROR refcount block %d is not cluster aligned; refcount table entry "
                        + "corrupted", i));
                res.corruptions++;
                st.rebuild = true;
                continue;
            }
            if (cluster >= st.nbClusters) {
                st.log(String.format("ERROR refcount block %d is outside image", i));
                res.corruptions++;
                st.rebuild = true;
                continue;
            }
            if (off != 0) {
                inc(st, res, off, img.clusterSize);
                if (st.refs[(int) cluster] != 1) {
                    st.log(String.format("ERROR refcount block %d refcount=%d", i, st.refs[(int) cluster]));
                    res.corruptions++;
                    st.rebuild = true;
                }
            }
        }
    }

    // ------------------------------------------------------------- comparing and repairing

    private static void compare(State st, Result res, int fix) throws IOException {
        Qcow2Image img = st.img;
        for (long i = 0; i < st.nbClusters; i++) {
            long onDisk;
            try {
                onDisk = img.refcounts.get(i);
            } catch (IOException e) {
                st.log(String.format("Can't get refcount for cluster %d: %s", i, e.getMessage()));
                res.checkErrors++;
                continue;
            }
            long computed = i < st.refs.length ? st.refs[(int) i] : 0;
            if (onDisk > 0 || computed > 0) {
                st.highest = i;
            }
            if (onDisk != computed) {
                boolean canFix = false;
                boolean leak = Long.compareUnsigned(onDisk, computed) > 0;
                if (onDisk == 0) {
                    st.rebuild = true;
                } else if (leak && (fix & FIX_LEAKS) != 0) {
                    canFix = true;
                } else if (!leak && (fix & FIX_ERRORS) != 0) {
                    canFix = true;
                }
                st.log(String.format("%s cluster %d refcount=%s reference=%d", canFix ? "Repairing"
                        : !leak ? "ERROR" : "Leaked", i, Long.toUnsignedString(onDisk), computed));
                if (canFix) {
                    try {
                        long diff = leak ? onDisk - computed : computed - onDisk;
                        long saveFloor = img.refcounts.allocFloor;
                        img.refcounts.allocFloor = Math.max(saveFloor, st.nbClusters);
                        try {
                            img.refcounts.change(i << img.clusterBits, 1, diff, leak);
                        } finally {
                            img.refcounts.allocFloor = saveFloor;
                        }
                        if (leak) {
                            res.leaksFixed++;
                        } else {
                            res.corruptionsFixed++;
                        }
                        continue;
                    } catch (IOException e) {
                        // counted below
                    }
                }
                if (!leak) {
                    res.corruptions++;
                } else {
                    res.leaks++;
                }
            }
        }
        img.refcounts.cache.flush();
    }

    /** Writes a fresh refcount structure after the end of the image from the computed references. */
    private static void rebuildRefcounts(State st) throws IOException {
        Qcow2Image img = st.img;
        Refcounts rc = img.refcounts;
        rc.cache.invalidateAll();
        int cs = img.clusterSize;
        int cb = img.clusterBits;
        long entries = rc.blockEntries();
        long start = Math.max(st.nbClusters, (img.file.length() + cs - 1) >>> cb);
        long[] refs = Arrays.copyOf(st.refs, (int) Math.max(st.refs.length, start));
        // fixed point: blocks for every non-empty range plus the new structures themselves
        long nBlocks = 0;
        long tClusters = 1;
        long[] blockIndexes;
        while (true) {
            long end = start + nBlocks + tClusters;
            long tableEntries = Refcounts.ceilDiv(end, entries);
            long tc = Refcounts.ceilDiv(tableEntries * 8, cs);
            long nb = 0;
            for (long bi = 0; bi < tableEntries; bi++) {
                if (blockNeeded(refs, bi, entries, start, end)) {
                    nb++;
                }
            }
            if (nb == nBlocks && tc == tClusters) {
                blockIndexes = new long[(int) nb];
                int k = 0;
                for (long bi = 0; bi < tableEntries; bi++) {
                    if (blockNeeded(refs, bi, entries, start, end)) {
                        blockIndexes[k++] = bi;
                    }
                }
                break;
            }
            nBlocks = nb;
            tClusters = tc;
        }
        long end = start + nBlocks + tClusters;
        refs = Arrays.copyOf(refs, (int) Math.max(refs.length, end));
        for (long c = start; c < end; c++) {
            refs[(int) c] = 1;
        }
        long tableEntries = tClusters * cs / 8;
        long[] table = new long[(int) tableEntries];
        int order = img.header.refcountOrder;
        for (int k = 0; k < blockIndexes.length; k++) {
            long bi = blockIndexes[k];
            long blockOff = (start + k) << cb;
            table[(int) bi] = blockOff;
            byte[] blk = new byte[cs];
            for (long j = 0; j < entries; j++) {
                long c = bi * entries + j;
                if (c < refs.length && refs[(int) c] != 0) {
                    Refcounts.setEntry(blk, order, (int) j, refs[(int) c]);
                }
            }
            img.file.write(blockOff, ByteBuffer.wrap(blk));
        }
        long tableOff = (start + nBlocks) << cb;
        ByteBuffer tb = ByteBuffer.allocate((int) (tClusters * cs));
        for (long v : table) {
            tb.putLong(v);
        }
        tb.clear();
        img.file.write(tableOff, tb);
        img.file.flush();
        img.file.write(48, ByteBuffer.allocate(12).putLong(0, tableOff).putInt(8, (int) tClusters));
        img.file.flush();
        img.header.refcountTableOffset = tableOff;
        img.header.refcountTableClusters = (int) tClusters;
        rc.table = table;
        rc.tableOffset = tableOff;
        rc.freeClusterIndex = 0;
    }

    private static boolean blockNeeded(long[] refs, long bi, long entries, long start, long end) {
        long first = bi * entries;
        long last = first + entries;
        if (first < end && last > start) {
            return true;
        }
        for (long c = first; c < last && c < refs.length; c++) {
            if (refs[(int) c] != 0) {
                return true;
            }
        }
        return false;
    }

    private static void checkOflagCopied(State st, Result res, int fix) throws IOException {
        Qcow2Image img = st.img;
        img.flushCaches();
        img.l2Cache.invalidateAll();
        for (int i = 0; i < img.l1.length; i++) {
            long l1e = img.l1[i];
            long l2 = l1e & L1E_OFFSET_MASK;
            if (l2 == 0) {
                continue;
            }
            long rc;
            try {
                rc = img.refcounts.get(l2 >>> img.clusterBits);
            } catch (IOException e) {
                continue;
            }
            if ((rc == 1) != ((l1e & OFLAG_COPIED) != 0)) {
                boolean repair = fix != 0;
                st.log(String.format("%s OFLAG_COPIED L2 cluster: l1_index=%d l1_entry=%x refcount=%s",
                        repair ? "Repairing" : "ERROR", i, l1e, Long.toUnsignedString(rc)));
                if (repair) {
                    img.l1[i] = rc == 1 ? l1e | OFLAG_COPIED : l1e & ~OFLAG_COPIED;
                    img.writeL1Entry(i);
                    res.corruptionsFixed++;
                } else {
                    res.corruptions++;
                }
            }
            if ((l2 & (img.clusterSize - 1)) != 0) {
                continue;
            }
            byte[] t = new byte[img.clusterSize];
            img.file.read(l2, t, 0, t.length);
            ByteBuffer b = ByteBuffer.wrap(t);
            boolean dirty = false;
            for (int j = 0; j < img.l2Entries; j++) {
                long e = b.getLong(j * img.l2EntryBytes);
                if ((e & OFLAG_COMPRESSED) != 0) {
                    continue;
                }
                long off = e & L2E_OFFSET_MASK;
                if (off == 0) {
                    continue;
                }
                long drc;
                try {
                    drc = img.refcounts.get(off >>> img.clusterBits);
                } catch (IOException ex) {
                    continue;
                }
                if ((drc == 1) != ((e & OFLAG_COPIED) != 0)) {
                    boolean repair = fix != 0;
                    st.log(String.format("%s OFLAG_COPIED data cluster: l2_entry=%x refcount=%s",
                            repair ? "Repairing" : "ERROR", e, Long.toUnsignedString(drc)));
                    if (repair) {
                        b.putLong(j * img.l2EntryBytes, drc == 1 ? e | OFLAG_COPIED : e & ~OFLAG_COPIED);
                        dirty = true;
                        res.corruptionsFixed++;
                    } else {
                        res.corruptions++;
                    }
                }
            }
            if (dirty) {
                img.file.write(l2, ByteBuffer.wrap(t));
                img.file.flush();
            }
        }
    }
}
