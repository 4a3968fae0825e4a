package dev.blockdeck.engine.block.driver.qcow2.bitmap;

import static dev.blockdeck.engine.block.driver.qcow2.bitmap.BitmapFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.blockdeck.engine.bitmap.HBitmap;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2MetadataAccess;

/**
 * A bitmap's table and data clusters: entry {@code i} holds bits {@code [i * 8 * cluster, (i + 1) * 8 * cluster)}
 * as little-endian 64-bit words (QEMU's serialisation), or is 0 for all clear, or 1 for all set.
 */
final class BitmapTable {
    private BitmapTable() {
    }

    /** Items (guest bytes) one data cluster covers. */
    static long bytesPerCluster(int clusterSize, int granularityBits) {
        return ((long) clusterSize * 8) << granularityBits;
    }

    /** Table entries a bitmap of {@code bits} needs: its serialised words, in clusters. */
    static long tableSize(HBitmap bits, int clusterSize) {
        long bytes = bits.serializationSize(0, bits.origSize());
        return (bytes + clusterSize - 1) / clusterSize;
    }

    /** Reads the table and checks every entry (QEMU's bitmap_table_load); a bad entry is EINVAL. */
    static long[] read(Qcow2MetadataAccess m, long offset, long size, int clusterSize) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) (size * 8));
        m.image().hostFile().read(offset, b);
        long[] t = new long[(int) size];
        for (int i = 0; i < t.length; i++) {
            t[i] = b.getLong(i * 8);
            if (!entryValid(t[i], clusterSize)) {
                throw new Qcow2Exception("Invalid argument");
            }
        }
        return t;
    }

    static boolean entryValid(long e, int clusterSize) {
        if ((e & ENTRY_RESERVED_MASK) != 0) {
            return false;
        }
        long off = e & ENTRY_OFFSET_MASK;
        return off == 0 || ((e & ENTRY_ALL_ONES) == 0 && off % clusterSize == 0);
    }

    /** Fills the clear bitmap {@code bits} from the table (QEMU's load_bitmap_data). */
    static void loadData(Qcow2MetadataAccess m, long[] table, HBitmap bits, int clusterSize) throws IOException {
        long size = bits.origSize();
        if (tableSize(bits, clusterSize) != table.length || table.length > MAX_TABLE_SIZE) {
            throw new Qcow2Exception("Invalid argument");
        }
        long limit = bytesPerCluster(clusterSize, bits.granularity());
        byte[] buf = new byte[clusterSize];
        long offset = 0;
        for (long e : table) {
            long count = Math.min(size - offset, limit);
            long data = e & ENTRY_OFFSET_MASK;
            if (data == 0) {
                if ((e & ENTRY_ALL_ONES) != 0) {
                    bits.deserializeOnes(offset, count, false);
                }
            } else {
                m.image().hostFile().read(data, ByteBuffer.wrap(buf));
                bits.deserializePart(buf, 0, offset, count, false);
            }
            offset += limit;
        }
        bits.deserializeFinish();
    }

    /**
     * Writes the data clusters of {@code bits} that have a dirty bit and then the table (QEMU's store_bitmap);
     * returns the table's offset. On failure everything allocated is released again.
     */
    static long store(Qcow2MetadataAccess m, HBitmap bits, int clusterSize, String name) throws IOException {
        long size = bits.origSize();
        long tbSize = tableSize(bits, clusterSize);
        if (tbSize > MAX_TABLE_SIZE || tbSize * clusterSize > MAX_PHYS_SIZE) {
            throw new Qcow2Exception("Bitmap '" + name + "' is too big");
        }
        long[] table = new long[(int) tbSize];
        long limit = bytesPerCluster(clusterSize, bits.granularity());
        byte[] buf = new byte[clusterSize];
        long tableOffset = 0;
        try {
            long offset;
            long from = 0;
            while (from < size && (offset = bits.nextDirty(from, size - from)) >= 0) {
                long start = offset / limit * limit;
                long end = Math.min(size, start + limit);
                java.util.Arrays.fill(buf, (byte) 0);
                bits.serializePart(buf, 0, start, end - start);
                long off = m.allocate(clusterSize);
                table[(int) (start / limit)] = off;
                m.image().hostFile().write(off, ByteBuffer.wrap(buf));
                from = end;
            }
            tableOffset = m.allocate(tbSize * 8);
            ByteBuffer t = ByteBuffer.allocate((int) (tbSize * 8));
            for (long e : table) {
                t.putLong(e);
            }
            t.flip();
            m.image().hostFile().write(tableOffset, t);
            return tableOffset;
        } catch (IOException | RuntimeException e) {
            clear(m, table, clusterSize);
            if (tableOffset != 0) {
                m.free(tableOffset, tbSize * 8);
            }
            throw e;
        }
    }

    /** Frees the data clusters a table points at. */
    static void clear(Qcow2MetadataAccess m, long[] table, int clusterSize) throws IOException {
        for (int i = 0; i < table.length; i++) {
            long off = table[i] & ENTRY_OFFSET_MASK;
            if (off != 0) {
                m.free(off, clusterSize);
                table[i] = 0;
            }
        }
    }

    /** Frees a stored bitmap: its data clusters, then its table (QEMU's free_bitmap_clusters). */
    static void free(Qcow2MetadataAccess m, long offset, long size, int clusterSize) throws IOException {
        long[] t = read(m, offset, size, clusterSize);
        clear(m, t, clusterSize);
        m.free(offset, size * 8);
    }
}
