package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BdrvChild;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockRequest;
import dev.blockdeck.engine.block.ChildRole;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.SerialWorker;
import dev.blockdeck.engine.bitmap.PersistentBitmapStore;
import dev.blockdeck.engine.block.driver.qcow2.bitmap.Qcow2Bitmaps;
import dev.blockdeck.engine.block.driver.qcow2.bitmap.Qcow2PersistentBitmaps;
import dev.blockdeck.engine.block.driver.DriverInfo;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.driver.OpenContext;
import dev.blockdeck.engine.block.snapshot.InternalSnapshot;
import dev.blockdeck.engine.block.snapshot.SnapshotDriver;
import dev.blockdeck.engine.block.snapshot.SnapshotException;

/**
 * A qcow2 node: the blocking qcow2 core ({@link Qcow2Image}) over the node's {@code file} child, reading
 * unallocated clusters through its {@code backing} child. Requests arrive on the node's context thread and are
 * scheduled by {@link Qcow2Requests}: data I/O that needs no metadata change goes straight to the children, many at
 * once; the rest runs as jobs of the core on the node's {@link SerialWorker}, one at a time, holding the node's
 * metadata lock. A fatal corruption ejects the node (QEMU's {@code bs->drv = NULL}).
 */
final class Qcow2Node extends NodeDriver implements PersistentBitmapStore, SnapshotDriver {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SerialWorker worker = new SerialWorker();
    private BdrvChild file;
    private Qcow2Requests requests;
    private Qcow2Image.Options openOptions;
    private volatile Qcow2Image image;
    private Qcow2PersistentBitmaps bitmaps;

    Qcow2Node(BlockNode node) {
        super(node);
    }

    @Override
    public void open(NodeOptions options, int openFlags, OpenContext ctx) {
        file = ctx.openChild("file", ChildRole.IMAGE, false);
        Qcow2Image.Options o = Qcow2OpenOptions.take(options);
        o.readOnly = (openFlags & BlockNode.O_RDWR) == 0;
        o.discardUnmap = (openFlags & BlockNode.O_UNMAP) != 0;
        o.backing = new ChildBackingReader(node.graph(), node);
        o.maintainsBitmaps = true;
        o.listener = this::corrupted;
        openOptions = o;
        image = openImage(o);
        requests = new Qcow2Requests(image, new ChildDataPath(), this::inContext, worker::submit);
        // QEMU opens a given data-file child after the header (so a bad reference is named first), then refuses
        // it: the core supports no external data file, and an image without one cannot take it
        if (ctx.openChild("data-file", ChildRole.DATA, true) != null) {
            throw new BlockException("'data-file' can only be set for images with an external data file");
        }
        node.setBackingFileInfo(image.backingFile(), image.backingFormat());
        bitmaps = new Qcow2PersistentBitmaps(new Qcow2Bitmaps(image), node::deviceOrNodeName);
        try {
            bitmaps.loadInto(node.dirtyBitmaps(), o.readOnly);
        } catch (IOException e) {
            throw new BlockException("Could not load the bitmaps of '" + node.name() + "': " + e.getMessage());
        }
    }

    /** QEMU's qcow2_signal_corruption, seen from the node: the event, and a log line when the image is marked. */
    private void corrupted(String message, long offset, long size, boolean fatal) {
        if (fatal) {
            System.err.println("qcow2: Marking image as corrupt: " + message
                    + "; further corruption events will be suppressed");
        } else {
            System.err.println("qcow2: Image is corrupt: " + message
                    + "; further non-fatal corruption events will be suppressed");
        }
        ObjectNode d = F.objectNode();
        var blk = node.firstBackend();
        d.put("device", blk == null || blk.name() == null ? "" : blk.name());
        d.put("node-name", node.name());
        d.put("msg", message);
        if (offset >= 0) {
            d.put("offset", offset);
        }
        if (size >= 0) {
            d.put("size", size);
        }
        d.put("fatal", fatal);
        node.graph().emitEvent("BLOCK_IMAGE_CORRUPTED", d);
        if (fatal) {
            // the image is unusable: later requests fail with ENOMEDIUM, queries call the node ejected
            node.eject();
        }
    }

    @Override
    public void checkCanStoreNew(String name, long granularity) {
        bitmaps.checkCanStoreNew(name, granularity);
    }

    @Override
    public void removePersistent(String name) {
        bitmaps.removePersistent(name);
    }

    /** Writes the node's persistent bitmaps into the image (close and read-only reopen). */
    private void storeBitmaps(boolean release) {
        if (bitmaps == null || image == null || image.isReadOnly()) {
            return;
        }
        try {
            bitmaps.storeFrom(node.dirtyBitmaps(), release);
        } catch (IOException | RuntimeException e) {
            System.err.println("qcow2: could not store the bitmaps of '" + node.name() + "': " + e.getMessage());
        }
    }

    private Qcow2Image openImage(Qcow2Image.Options o) {
        try {
            return Qcow2Image.open(new ChildHostFile(node.graph(), () -> file), o);
        } catch (BlockIOException e) {
            throw new BlockException("Could not read qcow2 header: " + e.errno().text());
        } catch (IOException e) {
            throw new BlockException(e.getMessage());
        }
    }

    /**
     * Commit of a read-only reopen (a snapshot's old active layer): writes back what is cached, marks the image
     * clean and switches the core to read-only, its caches kept. Main loop, node drained.
     */
    public void reopenReadOnly() {
        Qcow2Image img = image;
        if (img == null || img.isReadOnly()) {
            return;
        }
        storeBitmaps(false);
        for (var bm : node.dirtyBitmaps().all()) {
            if (bm.persistent()) {
                bm.setReadonly(true);
            }
        }
        try {
            img.makeReadOnly();
        } catch (IOException e) {
            System.err.println("qcow2: could not write back '" + node.name() + "' before read-only: " + e.getMessage());
        }
        openOptions.readOnly = true;
    }

    Qcow2Image image() {
        return image;
    }

    // ---- internal snapshots (main loop; create and delete with the node drained) ----------------------------

    @Override
    public java.util.List<InternalSnapshot> snapshotList() throws SnapshotException {
        return Qcow2NodeSnapshots.list(image);
    }

    @Override
    public InternalSnapshot snapshotCreate(InternalSnapshot request) throws SnapshotException {
        return Qcow2NodeSnapshots.create(image, request);
    }

    @Override
    public void snapshotDelete(String id, String name) throws SnapshotException {
        Qcow2NodeSnapshots.delete(image, id, name);
    }

    @Override
    public long length() {
        Qcow2Image i = image;
        return i == null ? 0 : i.size();
    }

    // ---- requests ------------------------------------------------------------------------------------------

    /** Runs {@code r} on the node's context thread, at once if already there. */
    private void inContext(Runnable r) {
        AioContext ctx = node.aioContext();
        if (ctx.inThread()) {
            r.run();
        } else {
            try {
                ctx.execute(r);
            } catch (IllegalStateException stopped) {
                r.run(); // the context is gone (engine shutdown): finish here rather than never
            }
        }
    }

    /** The data path to the node's children, called and completed on the node's context thread. */
    private final class ChildDataPath implements DataPath {
        @Override
        public CompletableFuture<Void> readFile(long host, ByteBuffer dst) {
            return file.preadv(host, dst, 0);
        }

        @Override
        public CompletableFuture<Void> writeFile(long host, ByteBuffer src) {
            return file.pwritev(host, src, 0);
        }

        @Override
        public CompletableFuture<Void> readBacking(long offset, ByteBuffer dst) {
            BdrvChild b = node.backing();
            if (b == null) {
                for (int i = dst.position(); i < dst.limit(); i++) {
                    dst.put(i, (byte) 0);
                }
                return CompletableFuture.completedFuture(null);
            }
            return b.preadv(offset, dst, 0);
        }
    }

    @Override
    public CompletableFuture<Void> preadv(long offset, ByteBuffer buf, int flags) {
        return requests.read(offset, buf);
    }

    @Override
    public CompletableFuture<Void> pwritev(long offset, ByteBuffer buf, int flags) {
        return requests.write(offset, buf);
    }

    @Override
    public boolean supportsWriteZeroes() {
        return true;
    }

    @Override
    public CompletableFuture<Void> pwriteZeroes(long offset, long bytes, int flags) {
        return requests.writeZeroes(offset, bytes, (flags & BlockRequest.MAY_UNMAP) != 0);
    }

    @Override
    public CompletableFuture<Void> pdiscard(long offset, long bytes) {
        return requests.discard(offset, bytes);
    }

    @Override
    public CompletableFuture<Void> flushToDisk() {
        // the core's flush writes back cached tables and flushes the file child itself
        return requests.flush();
    }

    // ---- information ---------------------------------------------------------------------------------------

    @Override
    public Optional<DriverInfo> info() {
        Qcow2Image i = image;
        return i == null ? Optional.empty() : Optional.of(new DriverInfo(i.clusterSize(), i.isDirty()));
    }

    @Override
    public ObjectNode specificInfo() {
        Qcow2Image i = image;
        if (i == null) {
            return null;
        }
        ObjectNode data = F.objectNode();
        data.put("compression-type", i.header().compressionType == 1 ? "zstd" : "zlib");
        if (i.version() == 2) {
            data.put("compat", "0.10");
            data.put("refcount-bits", i.refcountBits());
        } else {
            data.put("compat", "1.1");
            bitmapInfo(i, data);
            data.put("lazy-refcounts", i.lazyRefcounts());
            data.put("refcount-bits", i.refcountBits());
            data.put("corrupt", i.isCorrupt());
            data.put("extended-l2", i.extendedL2());
        }
        ObjectNode o = F.objectNode();
        o.put("type", "qcow2");
        o.set("data", data);
        return o;
    }

    /** {@code bitmaps} of the qcow2 format-specific info: the image's bitmap directory, if it has one. */
    private static void bitmapInfo(Qcow2Image i, ObjectNode data) {
        try {
            var list = new Qcow2Bitmaps(i).list();
            if (list.isEmpty()) {
                return;
            }
            var arr = data.putArray("bitmaps");
            for (Qcow2Bitmaps.Info b : list) {
                ObjectNode o = arr.addObject();
                var flags = o.putArray("flags");
                if (b.inUse()) {
                    flags.add("in-use");
                }
                if (b.auto()) {
                    flags.add("auto");
                }
                o.put("name", b.name());
                o.put("granularity", b.granularity());
            }
        } catch (IOException e) {
            // QEMU leaves the list out when it cannot read it
        }
    }

    @Override
    public void close() {
        Qcow2Image i = image;
        if (i == null) {
            return;
        }
        storeBitmaps(true);
        try {
            i.close();
        } catch (IOException e) {
            System.err.println("qcow2: error closing '" + node.name() + "': " + e.getMessage());
        }
    }
}
