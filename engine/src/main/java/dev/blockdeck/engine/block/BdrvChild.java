package dev.blockdeck.engine.block;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * An edge of the graph: {@code parent --name--> node}, with the permissions the parent takes on the node and
 * those it shares with other users. Requests of a parent on its child go through the edge, which checks that the
 * parent holds the permission the request needs.
 */
public final class BdrvChild {
    private final String name;
    private final int role;
    private final BlockParent parent;
    private volatile BlockNode node;
    private volatile int perm;
    private volatile int sharedPerm;
    private String blocker;

    BdrvChild(String name, int role, BlockParent parent, BlockNode node, int perm, int sharedPerm) {
        this.name = name;
        this.role = role;
        this.parent = parent;
        this.node = node;
        this.perm = perm;
        this.sharedPerm = sharedPerm;
    }

    public String name() {
        return name;
    }

    public int role() {
        return role;
    }

    public BlockParent parent() {
        return parent;
    }

    public BlockNode node() {
        return node;
    }

    void setNode(BlockNode n) {
        node = n;
    }

    public int perm() {
        return perm;
    }

    public int sharedPerm() {
        return sharedPerm;
    }

    void setPerms(int perm, int shared) {
        this.perm = perm;
        this.sharedPerm = shared;
    }

    /** The op-blocker reason this edge put on its child (a backing link), or null. */
    String blocker() {
        return blocker;
    }

    void setBlocker(String reason) {
        blocker = reason;
    }

    // ---- requests through the edge (on the child's context thread) -----------------------------------------

    public CompletableFuture<Void> preadv(long offset, ByteBuffer buf, int flags) {
        return node.preadv(this, offset, buf, flags);
    }

    public CompletableFuture<Void> pwritev(long offset, ByteBuffer buf, int flags) {
        return node.pwritev(this, offset, buf, flags);
    }

    public CompletableFuture<Void> pwriteZeroes(long offset, long bytes, int flags) {
        return node.pwriteZeroes(this, offset, bytes, flags);
    }

    public CompletableFuture<Void> pdiscard(long offset, long bytes) {
        return node.pdiscard(this, offset, bytes);
    }

    public CompletableFuture<Void> flush() {
        return node.flush();
    }

    /** Signals a debug event to the child node's driver (QEMU's BLKDBG_EVENT(child, event)). */
    public void debugEvent(String event) {
        node.debugEvent(event);
    }

    @Override
    public String toString() {
        return parent.parentDescription() + " --" + name + "--> " + node.name();
    }
}
