package dev.blockdeck.engine.block;

import dev.blockdeck.engine.aio.AioContext;

/**
 * Whatever holds a child edge: a node, a BlockBackend, later a block job (QEMU's BdrvChildClass). The graph asks
 * it how to name itself in permission errors, whether it can follow its child into another AioContext, and
 * tells it when its child is drained.
 */
public interface BlockParent {
    /** {@code node 'x'}, {@code block device 'drive0'}, a device id, or {@code an unnamed block device}. */
    String parentDescription();

    AioContext aioContext();

    /** Whether this parent is a node (QEMU's {@code parent_is_bds}). */
    default boolean isNode() {
        return false;
    }

    /**
     * Check phase of an AioContext change reached this parent through {@code via}: either join the change
     * (record itself in {@code change}, recursing as needed) and return true, or set the refusal and return false.
     */
    boolean changeContext(BdrvChild via, AioContext ctx, ContextChange change);

    /** The child behind {@code via} entered a drained section: stop sending it new requests. */
    void childDrainedBegin(BdrvChild via);

    /** The drained section of the child behind {@code via} ended. */
    void childDrainedEnd(BdrvChild via);

    /** Whether this parent still has requests of its own in flight that the drain must wait for. */
    boolean childDrainedPoll(BdrvChild via);
}
