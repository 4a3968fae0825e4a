package dev.blockdeck.engine.block;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.blockdeck.engine.block.driver.NodeDriver;

/**
 * Permissions in the graph (QEMU's bdrv_refresh_perms and friends): each node's cumulative permissions are what
 * its parent edges take and share; drivers derive their child edges' permissions from them, top down.
 */
final class GraphPermissions {
    private static final int W = BlockPerm.WRITE.bit();
    private static final int WU = BlockPerm.WRITE_UNCHANGED.bit();

    private GraphPermissions() {
    }

    /**
     * QEMU's permission refresh for {@code starts} and everything below them: in topological order, checks that
     * the parents of each node don't conflict, that writers only write to writable nodes, lets the driver prepare
     * (file locking), and derives the child edges' permissions. All or nothing.
     */
    static void refresh(List<BlockNode> starts) {
        List<BlockNode> order = new ArrayList<>();
        Set<BlockNode> found = Collections.newSetFromMap(new IdentityHashMap<>());
        for (BlockNode s : starts) {
            order = topological(order, found, s);
        }
        List<Runnable> undo = new ArrayList<>();
        List<BlockNode> prepared = new ArrayList<>();
        try {
            for (BlockNode bs : order) {
                checkParentConflicts(bs);
                int[] cum = cumulative(bs);
                if ((cum[0] & (W | WU)) != 0 && !bs.isWritable()) {
                    throw new BlockException("Block node is read-only");
                }
                NodeDriver d = bs.driverState();
                if (d == null) {
                    continue;
                }
                d.checkPerm(cum[0], cum[1]);
                prepared.add(bs);
                undo.add(d::abortPerm);
                for (BdrvChild c : bs.childEdges()) {
                    int[] out = new int[2];
                    d.childPerm(c, c.role(), cum[0], cum[1], out);
                    if (c.node().forceShare()) {
                        out[1] = BlockPerm.ALL;
                    }
                    int oldPerm = c.perm();
                    int oldShared = c.sharedPerm();
                    c.setPerms(out[0], out[1]);
                    undo.add(() -> c.setPerms(oldPerm, oldShared));
                }
            }
        } catch (BlockException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            throw e;
        }
        for (BlockNode bs : prepared) {
            int[] cum = cumulative(bs);
            bs.setCumulative(cum[0], cum[1]);
            bs.driverState().setPerm(cum[0], cum[1]);
        }
    }

    private static List<BlockNode> topological(List<BlockNode> list, Set<BlockNode> found, BlockNode bs) {
        if (!found.add(bs)) {
            return list;
        }
        for (BdrvChild c : bs.childEdges()) {
            list = topological(list, found, c.node());
        }
        list.add(0, bs);
        return list;
    }

    private static int[] cumulative(BlockNode bs) {
        int perm = 0;
        int shared = BlockPerm.ALL;
        for (BdrvChild c : bs.parentEdges()) {
            perm |= c.perm();
            shared &= c.sharedPerm();
        }
        return new int[] {perm, shared};
    }

    private static void checkParentConflicts(BlockNode bs) {
        for (BdrvChild a : bs.parentEdges()) {
            for (BdrvChild b : bs.parentEdges()) {
                if (a == b || (b.perm() & a.sharedPerm()) == b.perm()) {
                    continue;
                }
                String n = bs.name();
                throw new BlockException("Permission conflict on node '" + n + "': permissions '"
                        + BlockPerm.names(b.perm() & ~a.sharedPerm()) + "' are both required by "
                        + b.parent().parentDescription() + " (uses node '" + n + "' as '" + b.name()
                        + "' child) and unshared by " + a.parent().parentDescription() + " (uses node '" + n
                        + "' as '" + a.name() + "' child).");
            }
        }
    }
}
