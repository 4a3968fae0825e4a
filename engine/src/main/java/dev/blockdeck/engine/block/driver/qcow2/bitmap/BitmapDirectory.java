package dev.blockdeck.engine.block.driver.qcow2.bitmap;

import static dev.blockdeck.engine.block.driver.qcow2.bitmap.BitmapFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.blockdeck.engine.block.driver.qcow2.HostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;

/** Reading and encoding the bitmap directory, with QEMU's checks and messages (bitmap_list_load/_store). */
final class BitmapDirectory {
    private BitmapDirectory() {
    }

    /** The entries the extension points at, checked against an image of {@code virtualSize} bytes. */
    static List<BitmapDirEntry> load(HostFile file, BitmapsExtension ext, int clusterSize, long virtualSize)
            throws IOException {
        long size = ext.directorySize();
        if (size == 0) {
            throw new Qcow2Exception("Requested bitmap directory size is zero");
        }
        if (Long.compareUnsigned(size, MAX_DIRECTORY_SIZE) > 0) {
            throw new Qcow2Exception("Requested bitmap directory size is too big");
        }
        byte[] dir = new byte[(int) size];
        try {
            file.read(ext.directoryOffset(), ByteBuffer.wrap(dir));
        } catch (IOException e) {
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Failed to read bitmap directory: " + e.getMessage());
        }
        ByteBuffer b = ByteBuffer.wrap(dir);
        List<BitmapDirEntry> out = new ArrayList<>();
        int p = 0;
        while (p < dir.length) {
            if (p + ENTRY_HEADER > dir.length) {
                throw broken();
            }
            if (out.size() + 1 > ext.nbBitmaps()) {
                throw new Qcow2Exception("More bitmaps found than specified in header extension");
            }
            long tableOffset = b.getLong(p);
            long tableSize = Integer.toUnsignedLong(b.getInt(p + 8));
            int flags = b.getInt(p + 12);
            int type = b.get(p + 16) & 0xff;
            int granularityBits = b.get(p + 17) & 0xff;
            int nameSize = b.getShort(p + 18) & 0xffff;
            long extra = Integer.toUnsignedLong(b.getInt(p + 20));
            long entrySize = entrySize(nameSize, extra);
            if (p + entrySize > dir.length) {
                throw broken();
            }
            if (extra != 0) {
                throw new Qcow2Exception("Bitmap extra data is not supported");
            }
            String name = new String(dir, p + ENTRY_HEADER, nameSize, StandardCharsets.UTF_8);
            BitmapDirEntry e = new BitmapDirEntry(tableOffset, tableSize, flags, type, granularityBits, name, 0);
            if (!e.satisfiesConstraints(clusterSize, virtualSize)) {
                throw new Qcow2Exception("Bitmap '" + name + "' doesn't satisfy the constraints");
            }
            out.add(e);
            p += (int) entrySize;
        }
        if (out.size() != ext.nbBitmaps()) {
            throw new Qcow2Exception("Less bitmaps found than specified in header extension");
        }
        return out;
    }

    private static Qcow2Exception broken() {
        return new Qcow2Exception("Broken bitmap directory");
    }

    /** The on-disk directory for {@code entries}; each must satisfy the constraints. */
    static byte[] encode(List<BitmapDirEntry> entries, int clusterSize, long virtualSize) throws Qcow2Exception {
        long size = 0;
        for (BitmapDirEntry e : entries) {
            size += e.size();
        }
        if (size == 0 || size > MAX_DIRECTORY_SIZE) {
            throw new Qcow2Exception("Invalid bitmap directory size " + size);
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        for (BitmapDirEntry e : entries) {
            if (!e.satisfiesConstraints(clusterSize, virtualSize)) {
                throw new Qcow2Exception("Bitmap '" + e.name() + "' doesn't satisfy the constraints");
            }
            e.encode(b);
        }
        return b.array();
    }
}
