package dev.blockdeck.engine.block;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.blockdeck.engine.block.driver.BlockDriver;

/**
 * A node's edges (QEMU's bs->children, bs->parents, bs->file, bs->backing) and the questions asked of them:
 * the primary, filtered or COW child, and the BlockBackend parents. Changed on the main loop only.
 */
final class NodeEdges {
    private final BlockNode node;
    private final List<BdrvChild> children = new ArrayList<>();
    private final List<BdrvChild> parents = new ArrayList<>();
    private BdrvChild file;
    private BdrvChild backing;

    NodeEdges(BlockNode node) {
        this.node = node;
    }

    /** Child edges, newest first (QEMU's list order). */
    List<BdrvChild> children() {
        return Collections.unmodifiableList(children);
    }

    /** Parent edges, newest first. */
    List<BdrvChild> parents() {
        return Collections.unmodifiableList(parents);
    }

    void addChild(BdrvChild c) {
        children.add(0, c);
        if (ChildRole.has(c.role(), ChildRole.COW)) {
            backing = c;
        } else if (ChildRole.has(c.role(), ChildRole.PRIMARY) && file == null) {
            file = c;
        }
    }

    void removeChild(BdrvChild c) {
        children.remove(c);
        if (c == file) {
            file = null;
        }
        if (c == backing) {
            backing = null;
        }
    }

    void addParent(BdrvChild c) {
        parents.add(0, c);
    }

    void removeParent(BdrvChild c) {
        parents.remove(c);
    }

    /** The {@code file} child (primary child of formats and filters), or null. */
    BdrvChild file() {
        return file;
    }

    /** The {@code backing} child, or null. */
    BdrvChild backing() {
        return backing;
    }

    /** The child with the PRIMARY role, if any (QEMU's bdrv_primary_child). */
    BdrvChild primaryChild() {
        for (BdrvChild c : children) {
            if (ChildRole.has(c.role(), ChildRole.PRIMARY)) {
                return c;
            }
        }
        return null;
    }

    /** For filters, the filtered child; else null (QEMU's bdrv_filter_child). */
    BdrvChild filterChild() {
        BlockDriver driver = node.driver();
        if (driver == null || !driver.isFilter()) {
            return null;
        }
        return backing != null ? backing : file;
    }

    /** The COW (backing) child or the filtered child (QEMU's bdrv_filter_or_cow_child). */
    BdrvChild filterOrCowChild() {
        BlockDriver driver = node.driver();
        if (driver != null && !driver.isFilter() && backing != null) {
            return backing;
        }
        return filterChild();
    }

    /** Whether a BlockBackend is a direct parent (QEMU's bdrv_has_blk). */
    boolean hasBackend() {
        for (BdrvChild c : parents) {
            if (c.parent() instanceof BlockBackend) {
                return true;
            }
        }
        return false;
    }

    /** The first BlockBackend parent (QEMU's bdrv_first_blk), or null. */
    BlockBackend firstBackend() {
        for (BdrvChild c : parents) {
            if (c.parent() instanceof BlockBackend b) {
                return b;
            }
        }
        return null;
    }

    /** The BB name if a named BB is a parent, else the node name (bdrv_get_device_or_node_name). */
    String deviceOrNodeName() {
        for (BdrvChild c : parents) {
            if (c.parent() instanceof BlockBackend b && b.name() != null) {
                return b.name();
            }
        }
        return node.name();
    }
}
