package dev.blockdeck.engine.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockOp;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.engine.block.GraphEdits;
import dev.blockdeck.engine.block.NodeOptions;

/**
 * {@code blockdev-snapshot} and {@code blockdev-snapshot-sync}: puts an overlay on top of a node, so that every
 * user of the node writes to the overlay from now on and the node becomes its read-only backing.
 *
 * <p>Prepare drains the old node, checks, creates and opens the overlay (sync), moves it into the old node's
 * AioContext and appends it; commit makes the old node read-only; abort undoes the append; clean ends the drained
 * section and drops the action's overlay reference. The old node's section also quiesces the overlay once it is
 * appended (draining a node quiesces its parents, the overlay through its backing edge), so the devices moved to
 * the overlay stay quiet until the common clean: all drives of one transaction switch at the same instant and the
 * snapshot set is a consistent cut ({@code ConsistentCutUnderLoadTest}).
 */
final class ExternalSnapshotAction implements TransactionAction {
    private final TxnContext t;
    private final int index;
    private final boolean sync;
    private final ObjectNode data;
    private BlockNode old;
    private BlockNode overlay;
    private boolean oldDrained;
    private GraphEdits.Appended appended;
    private AioContext overlayHome;

    ExternalSnapshotAction(TxnContext t, int index, boolean sync, ObjectNode data) {
        this.t = t;
        this.index = index;
        this.sync = sync;
        this.data = data;
    }

    private String str(String key) {
        JsonNode v = data.get(key);
        return v == null || v.isNull() ? null : v.textValue();
    }

    @Override
    public void prepare() {
        t.rejectGrouped(sync ? "blockdev-snapshot-sync" : "blockdev-snapshot");
        BlockGraph graph = t.graph;
        String device = sync ? str("device") : str("node");
        String nodeName = sync ? str("node-name") : str("node");
        old = graph.lookupBs(device, nodeName);
        t.drainBegin(index, old);
        oldDrained = true;
        if (!old.isInserted()) {
            // QEMU prints the device argument as given, "(null)" when the node was named instead
            throw new BlockException("Device '" + (device == null ? "(null)" : device) + "' has no medium");
        }
        old.checkOpNotBlocked(BlockOp.EXTERNAL_SNAPSHOT);
        if (!old.isReadOnly()) {
            try {
                graph.callInContext(old.aioContext(), old::flush);
            } catch (BlockIOException e) {
                throw new BlockException("An IO error has occurred");
            }
        }
        int flags = (old.openFlags() | BlockNode.O_NO_BACKING) & ~BlockNode.O_PROTOCOL;
        if (sync) {
            overlay = graph.open(str("snapshot-file"), null, syncOverlayOptions(nodeName), flags);
        } else {
            overlay = graph.open(null, str("overlay"), null, flags);
        }
        // a parent that already reads the overlay would see its contents change under it; write-only users
        // (a mirror target) may stay
        if ((overlay.cumulativePerm() & BlockPerm.CONSISTENT_READ.bit()) != 0) {
            throw new BlockException("The overlay is already in use");
        }
        if (overlay.driver().isFilter()) {
            throw new BlockException("Filters cannot be used as overlays");
        }
        if (overlay.backing() != null) {
            throw new BlockException("The overlay already has a backing image");
        }
        if (!overlay.driver().supportsBacking()) {
            throw new BlockException("The overlay does not support backing images");
        }
        if (overlay.aioContext() != old.aioContext()) {
            overlayHome = overlay.aioContext();
            graph.changeContext(overlay, old.aioContext(), null);
        }
        appended = t.edits.append(overlay, old);
    }

    /** The sync variant's checks and image creation; returns the options the overlay opens with. */
    private NodeOptions syncOverlayOptions(String nodeName) {
        String snapshotNodeName = str("snapshot-node-name");
        String format = str("format") == null ? "qcow2" : str("format");
        boolean existing = "existing".equals(str("mode"));
        if (nodeName != null && snapshotNodeName == null) {
            throw new BlockException("New overlay node-name missing");
        }
        if (snapshotNodeName != null && (t.graph.findNode(snapshotNodeName).isPresent()
                || t.graph.findBackend(snapshotNodeName).isPresent())) {
            throw new BlockException("New overlay node-name already in use");
        }
        if (!existing) {
            long size;
            try {
                size = old.refreshLength();
            } catch (BlockIOException e) {
                throw new BlockException("bdrv_getlength failed: " + e.errno().text());
            }
            old.refreshFilename();
            t.images.create(str("snapshot-file"), format, old.filename(), old.driver().formatName(), size);
        }
        NodeOptions o = new NodeOptions();
        if (snapshotNodeName != null) {
            o.putString("node-name", snapshotNodeName);
        }
        o.putString("driver", format);
        return o;
    }

    @Override
    public void commit() {
        if (appended != null) {
            t.edits.reopenReadOnly(old);
        }
    }

    @Override
    public void abort() {
        if (appended != null) {
            t.edits.undoAppend(appended);
            appended = null;
        }
        // an existing overlay goes back where it ran (QEMU leaves it in the old node's context)
        if (overlayHome != null && overlay.aioContext() != overlayHome) {
            try {
                t.graph.changeContext(overlay, overlayHome, null);
            } catch (BlockException e) {
                System.err.println("Could not move '" + overlay.name() + "' back: " + e.getMessage());
            }
        }
    }

    @Override
    public void clean() {
        if (oldDrained) {
            t.drainEnd(index, old);
        }
        if (overlay != null) {
            t.graph.unref(overlay);
        }
    }
}
