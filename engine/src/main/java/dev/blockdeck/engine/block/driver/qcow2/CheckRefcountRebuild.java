package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The repair of a refcount structure that cannot be trusted (QEMU's rebuild_refcount_structure): new refcount
 * blocks and a new table, written after the end of the image from the computed references, then switched in
 * with one header write.
 */
final class CheckRefcountRebuild {
    private CheckRefcountRebuild() {
    }

    /** Writes a fresh refcount structure after the end of the image from the computed references. */
    static void rebuild(CheckState st) throws IOException {
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
}
