package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-disk snapshot table: decoding at open (with QEMU 7.2's limits and messages) and encoding a new table.
 * Entries start at 8-byte boundaries: a 40-byte fixed part, the extra data, the id, the name. The table's size is
 * counted to the end of the last name (not padded), which is what QEMU frees when it replaces a table.
 */
public final class SnapshotTable {
    /** QEMU's cap on one entry's extra data. */
    static final int MAX_EXTRA_DATA = 1024;
    /** QEMU's cap on the whole table: 1 KiB per possible snapshot. */
    static final long MAX_TABLE_BYTES = 1024L * Qcow2Format.MAX_SNAPSHOTS;
    private static final int FIXED = 40;

    private SnapshotTable() {
    }

    /** A decoded table: its entries and how many bytes from {@code offset} they occupy. */
    record Decoded(List<Qcow2Snapshot> entries, long bytes) {
    }

    /**
     * Reads {@code count} entries from {@code offset}. {@code diskSize} is what entries without a disk-size field
     * get (the image's current size, as QEMU assumes).
     */
    static Decoded read(HostFile file, long offset, int count, long diskSize) throws IOException {
        try {
            return readEntries(file, offset, count, diskSize);
        } catch (Qcow2Exception e) {
            throw e;
        } catch (IOException e) {
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Failed to read snapshot table: " + Errnos.text(e));
        }
    }

    private static Decoded readEntries(HostFile file, long offset, int count, long diskSize) throws IOException {
        List<Qcow2Snapshot> out = new ArrayList<>();
        long pos = offset;
        long tableLength = 0;
        for (int i = 0; i < count; i++) {
            tableLength = align8(tableLength);
            pos = align8(pos);
            ByteBuffer h = readBytes(file, pos, FIXED);
            pos += FIXED;
            long l1Offset = h.getLong(0);
            long l1Size = Integer.toUnsignedLong(h.getInt(8));
            int idLen = h.getShort(12) & 0xffff;
            int nameLen = h.getShort(14) & 0xffff;
            long dateSec = Integer.toUnsignedLong(h.getInt(16));
            long dateNsec = Integer.toUnsignedLong(h.getInt(20));
            long vmClock = h.getLong(24);
            long vmState = Integer.toUnsignedLong(h.getInt(32));
            long extraSize = Integer.toUnsignedLong(h.getInt(36));
            if (extraSize > MAX_EXTRA_DATA) {
                throw new Qcow2Exception(Qcow2Exception.Kind.TOO_BIG,
                        "Too much extra metadata in snapshot table entry " + i);
            }
            int known = (int) Math.min(Qcow2Snapshot.KNOWN_EXTRA, extraSize);
            ByteBuffer x = ByteBuffer.allocate(Qcow2Snapshot.KNOWN_EXTRA);
            if (known > 0) {
                x.put(0, readBytes(file, pos, known), 0, known);
            }
            pos += known;
            if (extraSize >= 8) {
                vmState = x.getLong(0);
            }
            long disk = extraSize >= 16 ? x.getLong(8) : diskSize;
            long icount = extraSize >= 24 ? x.getLong(16) : -1;
            byte[] unknown = new byte[0];
            if (extraSize > Qcow2Snapshot.KNOWN_EXTRA) {
                unknown = new byte[(int) extraSize - Qcow2Snapshot.KNOWN_EXTRA];
                file.read(pos, unknown, 0, unknown.length);
                pos += unknown.length;
            }
            byte[] strs = new byte[idLen + nameLen];
            file.read(pos, strs, 0, strs.length);
            pos += strs.length;
            tableLength += FIXED + extraSize + idLen + nameLen;
            if (tableLength > MAX_TABLE_BYTES || pos - offset > Integer.MAX_VALUE) {
                throw new Qcow2Exception(Qcow2Exception.Kind.TOO_BIG, "Snapshot table is too big");
            }
            out.add(new Qcow2Snapshot(l1Offset, l1Size, cString(strs, 0, idLen), cString(strs, idLen, nameLen),
                    dateSec, dateNsec, vmClock, vmState, disk, icount, (int) extraSize, unknown));
        }
        return new Decoded(out, pos - offset);
    }

    private static ByteBuffer readBytes(HostFile file, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        file.read(pos, b);
        b.clear();
        return b;
    }

    /** The bytes up to the first NUL: QEMU keeps ids and names as C strings. */
    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    static long align8(long v) {
        return (v + 7) & ~7L;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes a new table of {@code entries} takes; at least 24 bytes of extra data per entry. */
    static long encodedSize(List<Qcow2Snapshot> entries) throws Qcow2Exception {
        long size = 0;
        for (Qcow2Snapshot s : entries) {
            size = align8(size) + FIXED + Math.max(Qcow2Snapshot.KNOWN_EXTRA, s.extraDataSize())
                    + utf8(s.id()).length + utf8(s.name()).length;
            if (size > MAX_TABLE_BYTES) {
                throw new Qcow2Exception(Qcow2Exception.Kind.TOO_BIG, "snapshot table too big");
            }
        }
        return size;
    }

    /** The table as written: v3 extra data always (vm state size, disk size, icount), unknown extra data kept. */
    static byte[] encode(List<Qcow2Snapshot> entries) throws Qcow2Exception {
        ByteBuffer b = ByteBuffer.allocate((int) encodedSize(entries));
        int pos = 0;
        for (Qcow2Snapshot s : entries) {
            pos = (int) align8(pos);
            byte[] id = utf8(s.id());
            byte[] name = utf8(s.name());
            int extra = Math.max(Qcow2Snapshot.KNOWN_EXTRA, s.extraDataSize());
            b.putLong(pos, s.l1Offset());
            b.putInt(pos + 8, (int) s.l1Size());
            b.putShort(pos + 12, (short) id.length);
            b.putShort(pos + 14, (short) name.length);
            b.putInt(pos + 16, (int) s.dateSec());
            b.putInt(pos + 20, (int) s.dateNsec());
            b.putLong(pos + 24, s.vmClockNsec());
            // a VM state too big for the old 32-bit field reads as "no VM state" to old readers
            b.putInt(pos + 32, Long.compareUnsigned(s.vmStateSize(), 0xffffffffL) <= 0 ? (int) s.vmStateSize() : 0);
            b.putInt(pos + 36, extra);
            pos += FIXED;
            b.putLong(pos, s.vmStateSize());
            b.putLong(pos + 8, s.diskSize());
            b.putLong(pos + 16, s.icount());
            pos += Qcow2Snapshot.KNOWN_EXTRA;
            byte[] unknown = s.unknownExtra();
            int keep = Math.min(unknown.length, extra - Qcow2Snapshot.KNOWN_EXTRA);
            b.put(pos, unknown, 0, keep);
            pos += extra - Qcow2Snapshot.KNOWN_EXTRA;
            b.put(pos, id);
            pos += id.length;
            b.put(pos, name);
            pos += name.length;
        }
        return b.array();
    }
}
