package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The internal snapshots of an open image: the table read at open, create, delete and list (QEMU's
 * qcow2-snapshot.c). Same thread rules as the image: one call at a time; the node adapter calls it on the main loop
 * with the node drained.
 *
 * <p>Crash safety follows QEMU: a new snapshot's L1 copy is written and every refcount it adds is on disk (flushed)
 * before a new table that names it is written; the new table is flushed before the header points at it (one
 * 12-byte write of count and offset); the old table is freed only afterwards. A delete first switches to a table
 * without the entry, then drops the references. A crash in between leaves leaks, never a reference without a
 * refcount.
 */
public final class Qcow2Snapshots {
    private final Qcow2Image img;
    private final SnapshotRefcounts refcounts;
    private final List<Qcow2Snapshot> entries;
    private long tableOffset;
    private long tableBytes;

    private Qcow2Snapshots(Qcow2Image img, List<Qcow2Snapshot> entries, long tableOffset, long tableBytes) {
        this.img = img;
        this.refcounts = new SnapshotRefcounts(img);
        this.entries = new ArrayList<>(entries);
        this.tableOffset = tableOffset;
        this.tableBytes = tableBytes;
    }

    /** Reads the table the header points at (the header's count and offset are already validated). */
    static Qcow2Snapshots load(Qcow2Image img) throws IOException {
        Qcow2Header h = img.header;
        int count = h.nbSnapshots;
        if (count == 0) {
            return new Qcow2Snapshots(img, List.of(), h.snapshotsOffset, 0);
        }
        SnapshotTable.Decoded d = SnapshotTable.read(img.file, h.snapshotsOffset, count, roundUpSector(h.size));
        return new Qcow2Snapshots(img, d.entries(), h.snapshotsOffset, d.bytes());
    }

    private static long roundUpSector(long size) {
        return (size + 511) & ~511L;
    }

    /** The snapshots in table order. */
    public List<Qcow2Snapshot> list() {
        return List.copyOf(entries);
    }

    /** Bytes the current table occupies (for tests of what gets freed). */
    long tableBytes() {
        return tableBytes;
    }

    /** Index of the entry matching both given keys (a null key matches anything); -1 if none. */
    int find(String id, String name) {
        for (int i = 0; i < entries.size(); i++) {
            Qcow2Snapshot s = entries.get(i);
            if ((id == null || s.id().equals(id)) && (name == null || s.name().equals(name))
                    && (id != null || name != null)) {
                return i;
            }
        }
        return -1;
    }

    /** The next id: one more than the largest numeric prefix of the ids in use (QEMU's strtoul rule). */
    String nextId() {
        long max = 0;
        for (Qcow2Snapshot s : entries) {
            long v = strtoul(s.id());
            if (Long.compareUnsigned(v, max) > 0) {
                max = v;
            }
        }
        return Long.toUnsignedString(max + 1);
    }

    /** C's strtoul(s, NULL, 10) on a 64-bit host: leading spaces, a sign, digits; saturates at ULONG_MAX. */
    static long strtoul(String s) {
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            long d = s.charAt(i) - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return -1L;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /**
     * Takes a disk-only snapshot of the active layer with a fresh id and returns its entry. Errors carry the kind
     * QEMU's errno would have (the caller words the message).
     */
    public Qcow2Snapshot create(String name, long dateSec, long dateNsec, long vmClockNsec, long icount)
            throws IOException {
        img.checkUsableForMetadata();
        if (entries.size() >= MAX_SNAPSHOTS) {
            throw new Qcow2Exception(Qcow2Exception.Kind.TOO_BIG, "too many snapshots");
        }
        String id = nextId();
        long[] active = img.l1;
        long l1Bytes = (long) active.length * 8;
        long l1Copy = img.refcounts.alloc(l1Bytes);
        boolean listed = false;
        try {
            ByteBuffer b = ByteBuffer.allocate((int) l1Bytes);
            for (long v : active) {
                b.putLong(v);
            }
            b.clear();
            if (l1Bytes > 0) {
                img.file.write(l1Copy, b);
            }
            refcounts.update(img.l1Offset, active.length, 1);
            Qcow2Snapshot sn = new Qcow2Snapshot(l1Copy, active.length, id, name, dateSec, dateNsec, vmClockNsec, 0,
                    roundUpSector(img.header.size), icount, Qcow2Snapshot.KNOWN_EXTRA, null);
            entries.add(sn);
            listed = true;
            writeTable();
            return sn;
        } catch (IOException | RuntimeException e) {
            if (listed) {
                // the header may point at the new table after all (a write whose flush failed): keep the L1 copy
                entries.remove(entries.size() - 1);
            } else {
                // nothing names the L1 copy yet; QEMU leaks it here, giving it back is invisible to every reader
                try {
                    refcounts.free(l1Copy, l1Bytes, true);
                } catch (IOException | RuntimeException ignored) {
                    // a leak at worst
                }
            }
            throw e;
        }
    }

    /**
     * Deletes the entry matching {@code id} and/or {@code name}; returns it. Messages are QEMU's full error texts.
     * As in QEMU, an entry is gone from the in-memory list once the new table was attempted, even if writing it
     * failed (the image still lists it until the next open).
     */
    public Qcow2Snapshot delete(String id, String name) throws IOException {
        int idx = find(id, name);
        if (idx < 0) {
            throw new Qcow2Exception(Qcow2Exception.Kind.NOT_FOUND, "Can't find the snapshot");
        }
        Qcow2Snapshot sn = entries.get(idx);
        validateL1(sn);
        entries.remove(idx);
        try {
            img.checkUsableForMetadata();
            writeTable();
        } catch (IOException e) {
            throw new Qcow2Exception(kindOf(e), "Failed to remove snapshot from snapshot list: " + Errnos.text(e));
        }
        try {
            refcounts.update(sn.l1Offset(), sn.l1Size(), -1);
        } catch (IOException e) {
            throw new Qcow2Exception(kindOf(e), "Failed to free the cluster and L1 table: " + Errnos.text(e));
        }
        try {
            refcounts.free(sn.l1Offset(), sn.l1Size() * 8, false);
        } catch (IOException | RuntimeException e) {
            // nothing points at the L1 copy any more: a failure only leaks it (QEMU does not check either)
        }
        try {
            refcounts.update(img.l1Offset, img.l1.length, 0);
        } catch (IOException e) {
            throw new Qcow2Exception(kindOf(e), "Failed to update snapshot status in disk: " + Errnos.text(e));
        }
        return sn;
    }

    private static Qcow2Exception.Kind kindOf(IOException e) {
        return e instanceof Qcow2Exception q ? q.kind() : Qcow2Exception.Kind.IO;
    }

    /** QEMU's qcow2_validate_table for a snapshot's L1 table. */
    private void validateL1(Qcow2Snapshot sn) throws Qcow2Exception {
        if (Long.compareUnsigned(sn.l1Size(), MAX_L1_BYTES / 8) > 0) {
            throw new Qcow2Exception(Qcow2Exception.Kind.TOO_BIG, "Snapshot L1 table too large");
        }
        if (Long.MAX_VALUE - sn.l1Size() * 8 < sn.l1Offset() || sn.l1Offset() < 0
                || (sn.l1Offset() & (img.clusterSize - 1)) != 0) {
            throw new Qcow2Exception(Qcow2Exception.Kind.INVALID, "Snapshot L1 table offset invalid");
        }
    }

    /**
     * Writes the in-memory list as a new table (QEMU's qcow2_write_snapshots): allocate, flush, write, flush,
     * point the header at it, free the old one. On failure the new table's clusters are given back.
     */
    private void writeTable() throws IOException {
        byte[] table = SnapshotTable.encode(entries);
        long newOffset = img.refcounts.alloc(table.length);
        try {
            img.flushCaches();
            img.file.flush();
            if (table.length > 0) {
                img.file.write(newOffset, ByteBuffer.wrap(table));
            }
            img.flushCaches();
            img.file.flush();
            ByteBuffer hdr = ByteBuffer.allocate(12).putInt(0, entries.size()).putLong(4, newOffset);
            img.file.write(60, hdr);
            img.file.flush();
        } catch (IOException | RuntimeException e) {
            refcounts.free(newOffset, table.length, true);
            throw e;
        }
        img.header.nbSnapshots = entries.size();
        img.header.snapshotsOffset = newOffset;
        long oldOffset = tableOffset;
        long oldBytes = tableBytes;
        tableOffset = newOffset;
        tableBytes = table.length;
        try {
            refcounts.free(oldOffset, oldBytes, false);
        } catch (IOException | RuntimeException e) {
            // the new table is in use already: the old one merely leaks (QEMU ignores this failure too)
        }
    }
}
