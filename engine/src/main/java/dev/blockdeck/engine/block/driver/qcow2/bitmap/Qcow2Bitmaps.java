package dev.blockdeck.engine.block.driver.qcow2.bitmap;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.AUTOCLEAR_BITMAPS;
import static dev.blockdeck.engine.block.driver.qcow2.bitmap.BitmapFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.blockdeck.engine.bitmap.HBitmap;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Header;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2MetadataAccess;

/**
 * Persistent dirty bitmaps of a qcow2 image (QEMU's block/qcow2-bitmap.c): list, load (marking them in use while
 * the image is open read-write), store, remove, and the checks before a new persistent bitmap is accepted. The
 * image must have been opened with {@link Qcow2Image.Options#maintainsBitmaps} when it is writable. Same thread
 * rules as the image.
 *
 * <p>Crash safety follows QEMU: flags are updated in place only while the autoclear bit is off (a crash then
 * loses the bitmaps, never trusts a stale one); a new directory is written to new clusters, the header is
 * switched to it, and only then are the old directory and tables freed.
 */
public final class Qcow2Bitmaps {
    /** What {@code qemu-img info} lists: name, granularity and flags. */
    public record Info(String name, long granularity, boolean inUse, boolean auto) {
    }

    /**
     * A bitmap read from the image: {@code inUse} ones were not saved consistently and come back empty
     * (QEMU marks them inconsistent); {@code auto} ones record writes.
     */
    public record Loaded(String name, boolean inUse, boolean auto, HBitmap bits) {
    }

    /** A bitmap to store: its name, whether it records ({@code auto}), and its bits. */
    public record ToStore(String name, boolean enabled, HBitmap bits) {
    }

    private final Qcow2Image img;
    private final Qcow2MetadataAccess meta;

    public Qcow2Bitmaps(Qcow2Image img) {
        this.img = img;
        this.meta = new Qcow2MetadataAccess(img);
    }

    private BitmapsExtension ext() throws Qcow2Exception {
        return BitmapsExtension.of(img.header());
    }

    private List<BitmapDirEntry> directory(BitmapsExtension ext) throws IOException {
        if (ext.nbBitmaps() == 0) {
            return new ArrayList<>();
        }
        return new ArrayList<>(BitmapDirectory.load(img.hostFile(), ext, img.clusterSize(), img.size()));
    }

    /** The stored bitmaps, in directory order. */
    public List<Info> list() throws IOException {
        List<Info> out = new ArrayList<>();
        for (BitmapDirEntry e : directory(ext())) {
            out.add(new Info(e.name(), e.granularity(), e.inUse(), e.auto()));
        }
        return out;
    }

    /**
     * Reads every bitmap (QEMU's qcow2_load_dirty_bitmaps). When the image is writable, the consistent ones are
     * then flagged in use on disk: until they are stored again, anyone else must not trust them.
     */
    public List<Loaded> load() throws IOException {
        BitmapsExtension ext = ext();
        List<BitmapDirEntry> dir = directory(ext);
        List<Loaded> out = new ArrayList<>();
        boolean needsUpdate = false;
        for (int i = 0; i < dir.size(); i++) {
            BitmapDirEntry e = dir.get(i);
            HBitmap bits = new HBitmap(img.size(), e.granularityBits());
            if (!e.inUse()) {
                long[] table;
                try {
                    table = BitmapTable.read(meta, e.tableOffset(), e.tableSize(), img.clusterSize());
                } catch (Qcow2Exception x) {
                    throw new Qcow2Exception("Could not read bitmap_table table from image for bitmap '" + e.name()
                            + "': " + x.getMessage());
                }
                try {
                    BitmapTable.loadData(meta, table, bits, img.clusterSize());
                } catch (Qcow2Exception x) {
                    throw new Qcow2Exception("Could not read bitmap '" + e.name() + "' from image: "
                            + x.getMessage());
                }
                dir.set(i, e.withFlags(e.flags() | FLAG_IN_USE));
                needsUpdate = true;
            }
            out.add(new Loaded(e.name(), e.inUse(), e.auto(), bits));
        }
        if (needsUpdate && !img.isReadOnly()) {
            try {
                updateInPlace(ext, dir);
            } catch (IOException x) {
                throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Can't update bitmap directory: " + x.getMessage());
            }
        }
        return out;
    }

    /**
     * Rewrites the directory where it is (same size: only flags changed), with the autoclear bit off meanwhile
     * (QEMU's update_ext_header_and_dir_in_place).
     */
    private void updateInPlace(BitmapsExtension ext, List<BitmapDirEntry> dir) throws IOException {
        Qcow2Header h = img.header();
        h.autoclearFeatures &= ~AUTOCLEAR_BITMAPS;
        meta.writeHeader();
        byte[] d = BitmapDirectory.encode(dir, img.clusterSize(), img.size());
        if (d.length != ext.directorySize()) {
            throw new Qcow2Exception("Invalid argument");
        }
        img.hostFile().write(ext.directoryOffset(), ByteBuffer.wrap(d));
        img.hostFile().flush();
        meta.writeHeader();
        h.autoclearFeatures |= AUTOCLEAR_BITMAPS;
        meta.writeHeader();
    }

    /**
     * Stores {@code bitmaps} (QEMU's qcow2_store_persistent_dirty_bitmaps): a bitmap already in the image must be
     * the one loaded from it (flagged in use) and is replaced; new ones are appended; bitmaps of the image not in
     * the list stay as they are.
     */
    public void store(List<ToStore> bitmaps) throws IOException {
        if (bitmaps.isEmpty()) {
            return;
        }
        if (img.isReadOnly()) {
            throw new Qcow2Exception(Qcow2Exception.Kind.ACCESS, "No write access");
        }
        BitmapsExtension ext = ext();
        List<BitmapDirEntry> dir = directory(ext);
        long nb = dir.size();
        long dirSize = ext.directorySize();
        List<BitmapDirEntry> dropped = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (ToStore b : bitmaps) {
            try {
                checkConstraints(b.name(), 1L << b.bits().granularity());
            } catch (Qcow2Exception x) {
                throw new Qcow2Exception("Bitmap '" + b.name() + "' doesn't satisfy the constraints: "
                        + x.getMessage());
            }
            int at = indexOf(dir, b.name());
            int flags = b.enabled() ? FLAG_AUTO : 0;
            BitmapDirEntry fresh = new BitmapDirEntry(0, 0, flags, TYPE_DIRTY_TRACKING, b.bits().granularity(),
                    b.name(), 0);
            if (at < 0) {
                if (++nb > MAX_BITMAPS) {
                    throw new Qcow2Exception("Too many persistent bitmaps");
                }
                dirSize += fresh.size();
                if (dirSize > MAX_DIRECTORY_SIZE) {
                    throw new Qcow2Exception("Bitmap directory is too large");
                }
                dir.add(fresh);
                at = dir.size() - 1;
            } else {
                if (!dir.get(at).inUse()) {
                    throw new Qcow2Exception("Bitmap '" + b.name() + "' already exists in the image");
                }
                dropped.add(dir.get(at));
                dir.set(at, fresh);
            }
            slots.add(at);
        }
        List<long[]> written = new ArrayList<>();
        try {
            for (int i = 0; i < bitmaps.size(); i++) {
                ToStore b = bitmaps.get(i);
                long off = BitmapTable.store(meta, b.bits(), img.clusterSize(), b.name());
                long size = BitmapTable.tableSize(b.bits(), img.clusterSize());
                written.add(new long[] {off, size});
                int at = slots.get(i);
                dir.set(at, dir.get(at).withTable(off, size));
            }
            switchDirectory(ext, dir);
        } catch (IOException | RuntimeException x) {
            for (long[] w : written) {
                BitmapTable.free(meta, w[0], w[1], img.clusterSize());
            }
            throw x;
        }
        for (BitmapDirEntry old : dropped) {
            BitmapTable.free(meta, old.tableOffset(), old.tableSize(), img.clusterSize());
        }
        meta.flushMetadata();
    }

    /** Removes {@code name} from the image, if it is there (QEMU's qcow2_co_remove_persistent_dirty_bitmap). */
    public void remove(String name) throws IOException {
        BitmapsExtension ext = ext();
        if (ext.nbBitmaps() == 0) {
            return;
        }
        List<BitmapDirEntry> dir = directory(ext);
        int at = indexOf(dir, name);
        if (at < 0) {
            return;
        }
        BitmapDirEntry gone = dir.remove(at);
        try {
            switchDirectory(ext, dir);
        } catch (IOException x) {
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Failed to update bitmap extension: " + x.getMessage());
        }
        BitmapTable.free(meta, gone.tableOffset(), gone.tableSize(), img.clusterSize());
        meta.flushMetadata();
    }

    /**
     * Writes {@code dir} to new clusters, points the header at it (or drops the extension when empty) and frees
     * the old directory (QEMU's update_ext_header_and_dir).
     */
    private void switchDirectory(BitmapsExtension old, List<BitmapDirEntry> dir) throws IOException {
        Qcow2Header h = img.header();
        long oldAutoclear = h.autoclearFeatures;
        byte[] oldExt = h.bitmapsExt;
        BitmapsExtension next = BitmapsExtension.NONE;
        long newOffset = 0;
        if (!dir.isEmpty()) {
            byte[] d = BitmapDirectory.encode(dir, img.clusterSize(), img.size());
            newOffset = meta.allocate(d.length);
            img.hostFile().write(newOffset, ByteBuffer.wrap(d));
            meta.flushMetadata();
            next = new BitmapsExtension(dir.size(), d.length, newOffset);
        }
        next.applyTo(h);
        try {
            meta.writeHeader();
        } catch (IOException x) {
            h.autoclearFeatures = oldAutoclear;
            h.bitmapsExt = oldExt;
            if (newOffset != 0) {
                meta.free(newOffset, next.directorySize());
            }
            throw x;
        }
        if (old.directorySize() > 0) {
            meta.free(old.directoryOffset(), old.directorySize());
        }
    }

    private static int indexOf(List<BitmapDirEntry> dir, String name) {
        for (int i = 0; i < dir.size(); i++) {
            if (dir.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * QEMU's qcow2_co_can_store_new_dirty_bitmap: throws with its full message (naming {@code nodeName}) when a
     * new persistent bitmap could not be stored in this image.
     */
    public void checkCanStoreNew(String name, long granularity, String nodeName) throws IOException {
        String prefix = "Can't make bitmap '" + name + "' persistent in '" + nodeName + "': ";
        try {
            if (img.version() < 3) {
                throw new Qcow2Exception("Cannot store dirty bitmaps in qcow2 v2 files");
            }
            checkConstraints(name, granularity);
            BitmapsExtension ext = ext();
            if (ext.nbBitmaps() == 0) {
                return;
            }
            if (ext.nbBitmaps() >= MAX_BITMAPS) {
                throw new Qcow2Exception("Maximum number of persistent bitmaps is already reached");
            }
            if (ext.directorySize() + entrySize(name.getBytes(StandardCharsets.UTF_8).length, 0)
                    > MAX_DIRECTORY_SIZE) {
                throw new Qcow2Exception("Not enough space in the bitmap directory");
            }
            if (indexOf(directory(ext), name) >= 0) {
                throw new Qcow2Exception("Bitmap with the same name is already stored");
            }
        } catch (Qcow2Exception x) {
            throw new Qcow2Exception(x.kind(), prefix + x.getMessage());
        }
    }

    /** QEMU's check_constraints_on_bitmap. */
    private void checkConstraints(String name, long granularity) throws Qcow2Exception {
        int bits = Long.numberOfTrailingZeros(granularity);
        long len = img.size();
        if (bits > MAX_GRANULARITY_BITS) {
            throw new Qcow2Exception("Granularity exceeds maximum (" + (1L << MAX_GRANULARITY_BITS) + " bytes)");
        }
        if (bits < MIN_GRANULARITY_BITS) {
            throw new Qcow2Exception("Granularity is under minimum (" + (1L << MIN_GRANULARITY_BITS) + " bytes)");
        }
        if (Long.compareUnsigned(len, MAX_PHYS_SIZE << bits) > 0
                || Long.compareUnsigned(len, (MAX_TABLE_SIZE * img.clusterSize()) << bits) > 0) {
            throw new Qcow2Exception("Too much space will be occupied by the bitmap. Use larger granularity");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_SIZE) {
            throw new Qcow2Exception("Name length exceeds maximum (" + MAX_NAME_SIZE + " characters)");
        }
    }
}
