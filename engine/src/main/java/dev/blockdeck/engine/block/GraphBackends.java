package dev.blockdeck.engine.block;

import java.util.List;

import dev.blockdeck.engine.aio.AioContext;

/**
 * BlockBackends in the graph (QEMU's block-backend.c): creating, naming, inserting and removing the root node,
 * changing the permissions a backend takes, attaching its device, deleting it. Main loop only.
 */
final class GraphBackends {
    private final BlockGraph graph;

    GraphBackends(BlockGraph graph) {
        this.graph = graph;
    }

    /** A new anonymous BlockBackend without a root (QEMU's blk_new). */
    BlockBackend newBackend(AioContext ctx, int perm, int sharedPerm) {
        BlockBackend b = new BlockBackend(graph, ctx, perm, sharedPerm);
        graph.backendList().add(b);
        return b;
    }

    /** Names a backend (QEMU's monitor_add_blk), with its checks. */
    void setBackendName(BlockBackend blk, String name) {
        if (!NodeNames.wellFormed(name)) {
            throw new BlockException("Invalid device name");
        }
        if (graph.findBackend(name).isPresent()) {
            throw new BlockException("Device with id '" + name + "' already exists");
        }
        if (graph.findNode(name).isPresent()) {
            throw new BlockException("Device name '" + name + "' conflicts with an existing node name");
        }
        blk.setName(name);
    }

    /** Attaches {@code bs} as the backend's root (QEMU's blk_insert_bs); takes a reference to it. */
    void insert(BlockBackend blk, BlockNode bs) {
        if (blk.rootEdge() != null) {
            throw new IllegalStateException(blk + " already has a root");
        }
        bs.ref();
        try {
            graph.childAttachments.attachCommon(blk, bs, "root", ChildRole.FILTERED | ChildRole.PRIMARY, blk.perm(),
                    blk.sharedPerm());
        } catch (BlockException e) {
            bs.unrefCount();
            throw e;
        }
        blk.setAioContext(bs.aioContext());
    }

    /** Detaches the backend's root (QEMU's blk_remove_bs); the backend keeps existing without medium. */
    void removeRoot(BlockBackend blk) {
        BdrvChild r = blk.rootEdge();
        if (r != null) {
            graph.drainBackend(blk);
            graph.detachChild(r);
        }
    }

    /** Changes the permissions a backend takes and shares (QEMU's blk_set_perm); all or nothing. */
    void setBackendPerm(BlockBackend blk, int perm, int shared) {
        BdrvChild r = blk.rootEdge();
        if (r != null) {
            int oldPerm = r.perm();
            int oldShared = r.sharedPerm();
            r.setPerms(perm, shared);
            try {
                graph.refreshPerms(List.of(r.node()));
            } catch (BlockException e) {
                r.setPerms(oldPerm, oldShared);
                try {
                    graph.refreshPerms(List.of(r.node()));
                } catch (BlockException ignored) {
                    // restoring what worked before
                }
                throw e;
            }
        }
        blk.setPermFields(perm, shared);
    }

    /** Attaches a device (QEMU's blk_attach_dev). */
    void attachDevice(BlockBackend blk, BlockDevice dev) {
        if (blk.device() != null) {
            throw new BlockException("Device is already attached");
        }
        blk.setDevice(dev);
    }

    /** Detaches the device (QEMU's blk_detach_dev). */
    void detachDevice(BlockBackend blk) {
        blk.setDevice(null);
    }

    /** Deletes a backend: its root is released, its name freed. */
    void deleteBackend(BlockBackend blk) {
        graph.removeRoot(blk);
        graph.backendList().remove(blk);
        blk.markDeleted();
    }
}
