package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.blockdeck.engine.block.BdrvChild;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockNode;

/**
 * The qcow2 core's backing as the node's current {@code backing} child, looked up at each access: a snapshot or
 * a stream job may give the node another backing after it opened, and without one unallocated clusters read as
 * zero.
 */
final class ChildBackingReader implements BackingReader {
    private final BlockGraph graph;
    private final BlockNode node;

    ChildBackingReader(BlockGraph graph, BlockNode node) {
        this.graph = graph;
        this.node = node;
    }

    @Override
    public boolean present() {
        return node.backing() != null;
    }

    @Override
    public long size() throws IOException {
        BdrvChild b = node.backing();
        return b == null ? 0 : b.node().refreshLength();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        BdrvChild b = node.backing();
        if (b == null) {
            while (dst.hasRemaining()) {
                dst.put((byte) 0);
            }
            return;
        }
        ChildHostFile.await(graph, b, () -> b.preadv(offset, dst, 0));
        dst.position(dst.limit());
    }
}
