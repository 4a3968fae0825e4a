package dev.blockdeck.engine.block;

import java.util.Optional;

import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.DriverInfo;

/** What a node reports about its image when its driver has no answer of its own (QEMU's generic fallbacks). */
final class NodeInfo {
    private NodeInfo() {
    }

    /** QEMU's generic bdrv_get_allocated_file_size for drivers without their own. */
    static Optional<Long> defaultAllocatedFileSize(BlockNode bs) {
        BlockDriver driver = bs.driver();
        if (driver.isProtocol()) {
            return Optional.empty();
        }
        if (driver.isFilter()) {
            BdrvChild c = bs.filterChild();
            return c == null ? Optional.empty() : c.node().driverState().allocatedFileSize();
        }
        long sum = 0;
        for (BdrvChild c : bs.childEdges()) {
            if ((c.role() & (ChildRole.DATA | ChildRole.METADATA | ChildRole.FILTERED)) != 0) {
                Optional<Long> s = c.node().driverState().allocatedFileSize();
                if (s.isEmpty()) {
                    return s;
                }
                sum += s.get();
            }
        }
        return Optional.of(sum);
    }

    /** QEMU's bdrv_get_info: the driver's, or a filter's child's. */
    static Optional<DriverInfo> info(BlockNode bs) {
        Optional<DriverInfo> i = bs.driverState().info();
        if (i.isEmpty() && bs.driver().isFilter() && bs.filterChild() != null) {
            return bs.filterChild().node().info();
        }
        return i;
    }
}
