package dev.blockdeck.engine.block;

import java.util.List;

/**
 * The names of QEMU 7.2's debug events (its BlkdebugEvent enum): points in the I/O path where a node tells its
 * driver "this step happens now" ({@link BlockNode#debugEvent}, {@link BdrvChild#debugEvent}). Only drivers that
 * care (blkdebug) act on them. The generic layer signals the pwritev, flush and rmw events; format drivers signal
 * their own (raw: read_aio, write_aio; qcow2: l1_update, cluster_alloc, ...) on the child they are about to use.
 */
public final class DebugEvents {
    public static final String L1_UPDATE = "l1_update";
    public static final String L1_GROW_ALLOC_TABLE = "l1_grow_alloc_table";
    public static final String L1_GROW_WRITE_TABLE = "l1_grow_write_table";
    public static final String L1_GROW_ACTIVATE_TABLE = "l1_grow_activate_table";
    public static final String L2_LOAD = "l2_load";
    public static final String L2_UPDATE = "l2_update";
    public static final String L2_UPDATE_COMPRESSED = "l2_update_compressed";
    public static final String L2_ALLOC_COW_READ = "l2_alloc_cow_read";
    public static final String L2_ALLOC_WRITE = "l2_alloc_write";
    public static final String READ_AIO = "read_aio";
    public static final String READ_BACKING_AIO = "read_backing_aio";
    public static final String READ_COMPRESSED = "read_compressed";
    public static final String WRITE_AIO = "write_aio";
    public static final String WRITE_COMPRESSED = "write_compressed";
    public static final String VMSTATE_LOAD = "vmstate_load";
    public static final String VMSTATE_SAVE = "vmstate_save";
    public static final String COW_READ = "cow_read";
    public static final String COW_WRITE = "cow_write";
    public static final String REFTABLE_LOAD = "reftable_load";
    public static final String REFTABLE_GROW = "reftable_grow";
    public static final String REFTABLE_UPDATE = "reftable_update";
    public static final String REFBLOCK_LOAD = "refblock_load";
    public static final String REFBLOCK_UPDATE = "refblock_update";
    public static final String REFBLOCK_UPDATE_PART = "refblock_update_part";
    public static final String REFBLOCK_ALLOC = "refblock_alloc";
    public static final String REFBLOCK_ALLOC_HOOKUP = "refblock_alloc_hookup";
    public static final String REFBLOCK_ALLOC_WRITE = "refblock_alloc_write";
    public static final String REFBLOCK_ALLOC_WRITE_BLOCKS = "refblock_alloc_write_blocks";
    public static final String REFBLOCK_ALLOC_WRITE_TABLE = "refblock_alloc_write_table";
    public static final String REFBLOCK_ALLOC_SWITCH_TABLE = "refblock_alloc_switch_table";
    public static final String CLUSTER_ALLOC = "cluster_alloc";
    public static final String CLUSTER_ALLOC_BYTES = "cluster_alloc_bytes";
    public static final String CLUSTER_FREE = "cluster_free";
    public static final String FLUSH_TO_OS = "flush_to_os";
    public static final String FLUSH_TO_DISK = "flush_to_disk";
    public static final String PWRITEV_RMW_HEAD = "pwritev_rmw_head";
    public static final String PWRITEV_RMW_AFTER_HEAD = "pwritev_rmw_after_head";
    public static final String PWRITEV_RMW_TAIL = "pwritev_rmw_tail";
    public static final String PWRITEV_RMW_AFTER_TAIL = "pwritev_rmw_after_tail";
    public static final String PWRITEV = "pwritev";
    public static final String PWRITEV_ZERO = "pwritev_zero";
    public static final String PWRITEV_DONE = "pwritev_done";
    public static final String EMPTY_IMAGE_PREPARE = "empty_image_prepare";
    public static final String L1_SHRINK_WRITE_TABLE = "l1_shrink_write_table";
    public static final String L1_SHRINK_FREE_L2_CLUSTERS = "l1_shrink_free_l2_clusters";
    public static final String COR_WRITE = "cor_write";
    public static final String CLUSTER_ALLOC_SPACE = "cluster_alloc_space";
    public static final String NONE = "none";

    /** Every event, in QEMU's enum order (the order of BlkdebugEvent in query-qmp-schema). */
    public static final List<String> ALL = List.of(
            L1_UPDATE, L1_GROW_ALLOC_TABLE, L1_GROW_WRITE_TABLE, L1_GROW_ACTIVATE_TABLE, L2_LOAD,
            L2_UPDATE, L2_UPDATE_COMPRESSED, L2_ALLOC_COW_READ, L2_ALLOC_WRITE, READ_AIO,
            READ_BACKING_AIO, READ_COMPRESSED, WRITE_AIO, WRITE_COMPRESSED, VMSTATE_LOAD, VMSTATE_SAVE,
            COW_READ, COW_WRITE, REFTABLE_LOAD, REFTABLE_GROW, REFTABLE_UPDATE, REFBLOCK_LOAD,
            REFBLOCK_UPDATE, REFBLOCK_UPDATE_PART, REFBLOCK_ALLOC, REFBLOCK_ALLOC_HOOKUP,
            REFBLOCK_ALLOC_WRITE, REFBLOCK_ALLOC_WRITE_BLOCKS, REFBLOCK_ALLOC_WRITE_TABLE,
            REFBLOCK_ALLOC_SWITCH_TABLE, CLUSTER_ALLOC, CLUSTER_ALLOC_BYTES, CLUSTER_FREE, FLUSH_TO_OS,
            FLUSH_TO_DISK, PWRITEV_RMW_HEAD, PWRITEV_RMW_AFTER_HEAD, PWRITEV_RMW_TAIL,
            PWRITEV_RMW_AFTER_TAIL, PWRITEV, PWRITEV_ZERO, PWRITEV_DONE, EMPTY_IMAGE_PREPARE,
            L1_SHRINK_WRITE_TABLE, L1_SHRINK_FREE_L2_CLUSTERS, COR_WRITE, CLUSTER_ALLOC_SPACE, NONE);

    private DebugEvents() {
    }
}
