package dev.blockdeck.engine.block;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a backing link forbids on the backing node (QEMU's backing blocker): every operation is blocked with
 * "node is used as backing hd of 'x'" except those that work on a chain (commit, stream, backup).
 */
final class BackingBlockers {
    private static final Set<BlockOp> ALLOWED = EnumSet.of(BlockOp.COMMIT_TARGET, BlockOp.STREAM,
            BlockOp.BACKUP_SOURCE, BlockOp.BACKUP_TARGET);

    private BackingBlockers() {
    }

    static void block(BdrvChild c, BlockNode parent) {
        String reason = "node is used as backing hd of '" + parent.deviceOrNodeName() + "'";
        c.setBlocker(reason);
        for (BlockOp op : BlockOp.values()) {
            if (!ALLOWED.contains(op)) {
                c.node().blockOp(op, reason);
            }
        }
    }

    static void unblock(BdrvChild c) {
        String reason = c.blocker();
        if (reason == null) {
            return;
        }
        for (BlockOp op : BlockOp.values()) {
            c.node().unblockOp(op, reason);
        }
        c.setBlocker(null);
    }
}
