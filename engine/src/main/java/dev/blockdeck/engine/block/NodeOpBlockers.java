package dev.blockdeck.engine.block;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * A node's op blockers (QEMU's bs->op_blockers): per operation, the reasons it is blocked, newest first. Main
 * loop only.
 */
final class NodeOpBlockers {
    private final BlockNode node;
    private final EnumMap<BlockOp, List<String>> blockers = new EnumMap<>(BlockOp.class);

    NodeOpBlockers(BlockNode node) {
        this.node = node;
    }

    /** Blocks {@code op} on this node for {@code reason} (e.g. "node is used as backing hd of 'o'"). */
    void blockOp(BlockOp op, String reason) {
        blockers.computeIfAbsent(op, k -> new ArrayList<>()).add(0, reason); // newest first, as QEMU lists them
    }

    /** Removes one blocker for {@code reason}. */
    void unblockOp(BlockOp op, String reason) {
        List<String> l = blockers.get(op);
        if (l != null) {
            l.remove(reason);
            if (l.isEmpty()) {
                blockers.remove(op);
            }
        }
    }

    /** QEMU's bdrv_op_is_blocked: throws {@code Node 'x' is busy: <reason>} if {@code op} is blocked. */
    void checkOpNotBlocked(BlockOp op) {
        List<String> l = blockers.get(op);
        if (l != null && !l.isEmpty()) {
            throw new BlockException("Node '" + node.deviceOrNodeName() + "' is busy: " + l.get(0));
        }
    }
}
