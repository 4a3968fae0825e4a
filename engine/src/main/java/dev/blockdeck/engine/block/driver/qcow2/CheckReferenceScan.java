package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Check.FIX_ERRORS;
import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Check.Result;

/**
 * The first phase of a check (QEMU's calculate_refcounts): walks every piece of metadata (header, active and
 * snapshot L1/L2 tables, snapshot table, refcount table and blocks, bitmaps) counting the references it makes,
 * and reports what is malformed on the way (reserved bits, unaligned tables and clusters, bad bitmaps). Only a
 * preallocated cluster with an unaligned offset in the active layer is repaired here.
 */
final class CheckReferenceScan {
    private CheckReferenceScan() {
    }

    /** Counts every reference into {@code st.refs} (sized from the file length, grown as needed). */
    static void calculate(CheckState st, Result res, int fix) throws IOException {
        Qcow2Image img = st.img;
        long fileLen = img.file.length();
        st.nbClusters = (fileLen + img.clusterSize - 1) >>> img.clusterBits;
        st.refs = new long[(int) Math.max(1, st.nbClusters)];
        st.inc(res, 0, img.clusterSize);
        checkL1(st, res, img.l1Offset, img.l1.length, true, fix);
        checkSnapshots(st, res, fix);
        st.inc(res, img.refcounts.tableOffset, (long) img.refcounts.table.length * 8);
        checkBitmaps(st, res);
        checkRefblocks(st, res);
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

    private static void checkL1(CheckState st, Result res, long l1Offset, long l1Size, boolean active, int fix)
            throws IOException {
        Qcow2Image img = st.img;
        if (l1Size == 0) {
            return;
        }
        st.inc(res, l1Offset, l1Size * 8);
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
            st.inc(res, l2, img.clusterSize);
            if ((l2 & (img.clusterSize - 1)) != 0) {
                st.log(String.format("ERROR l2_offset=%x: Table is not cluster aligned; L1 entry corrupted", l2));
                res.corruptions++;
            }
            checkL2(st, res, l2, active, fix);
        }
    }

    private static void checkL2(CheckState st, Result res, long l2Offset, boolean active, int fix) throws IOException {
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
                st.inc(res, r[0], r[1]);
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
                st.inc(res, off, img.clusterSize);
            }
        }
        if (dirty) {
            img.l2Cache.invalidateAll();
            img.file.write(l2Offset, ByteBuffer.wrap(t));
            img.file.flush();
        }
    }

    private static void checkSnapshots(CheckState st, Result res, int fix) throws IOException {
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
        st.inc(res, start, off - start);
    }

    private static void checkBitmaps(CheckState st, Result res) throws IOException {
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
        st.inc(res, dirOff, dirSize);
        byte[] dir = new byte[(int) dirSize];
        img.file.read(dirOff, dir, 0, dir.length);
        ByteBuffer d = ByteBuffer.wrap(dir);
        int p = 0;
        for (int i = 0; i < nb && p + 24 <= dir.length; i++) {
            long tOff = d.getLong(p);
            long tSize = Integer.toUnsignedLong(d.getInt(p + 8));
            int nameSize = d.getShort(p + 18) & 0xffff;
            long extra = Integer.toUnsignedLong(d.getInt(p + 20));
            st.inc(res, tOff, tSize * 8);
            long[] t = readTable(img, tOff, tSize);
            for (long e : t) {
                long o = e & 0x00fffffffffffe00L;
                if (o != 0) {
                    st.inc(res, o, img.clusterSize);
                }
            }
            p += (int) ((24 + extra + nameSize + 7) & ~7L);
        }
    }

    private static void checkRefblocks(CheckState st, Result res) throws IOException {
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
                st.inc(res, off, img.clusterSize);
                if (st.refs[(int) cluster] != 1) {
                    st.log(String.format("ERROR refcount block %d refcount=%d", i, st.refs[(int) cluster]));
                    res.corruptions++;
                    st.rebuild = true;
                }
            }
        }
    }
}
