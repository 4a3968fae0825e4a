package dev.blockdeck.engine.block.qmp;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BackingFilenames;
import dev.blockdeck.engine.block.BdrvChild;
import dev.blockdeck.engine.block.BlockAcctStats;
import dev.blockdeck.engine.block.BlockAcctStats.Type;
import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockDevice;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.engine.block.ChildRole;
import dev.blockdeck.engine.block.driver.DriverInfo;

/**
 * The answers of the block queries, built as QEMU's block/qapi.c builds them. Objects are filled in QAPI member
 * order; the monitor writes them in QEMU's hash order.
 */
public final class BlockQueries {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Extra graph participants (block jobs) for x-debug-query-block-graph; the job work provides one. */
    public interface JobView {
        /** The jobs in QEMU's list order. */
        List<Job> jobs();

        /** One job: its id and the edges it holds (job → node). */
        record Job(Object identity, String id, List<BdrvChild> edges) {
        }
    }

    private final BlockGraph graph;
    private JobView jobs = List::of;

    public BlockQueries(BlockGraph graph) {
        this.graph = graph;
    }

    public void setJobView(JobView v) {
        jobs = v;
    }

    // ---- query-named-block-nodes / query-block -------------------------------------------------------------

    public ArrayNode namedBlockNodes(boolean flat) {
        ArrayNode out = F.arrayNode();
        List<BlockNode> nodes = graph.nodes();
        Object pass = new Object();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            out.add(blockDeviceInfo(null, nodes.get(i), flat, pass));
        }
        return out;
    }

    public ArrayNode queryBlock() {
        ArrayNode out = F.arrayNode();
        for (BlockBackend blk : graph.backends()) {
            if (blk.name() == null && blk.device() == null) {
                continue;
            }
            out.add(blockInfo(blk));
        }
        return out;
    }

    private ObjectNode blockInfo(BlockBackend blk) {
        BlockDevice dev = blk.device();
        ObjectNode o = F.objectNode();
        o.put("device", blk.name() == null ? "" : blk.name());
        String qdev = blk.attachedDeviceId();
        if (!qdev.isEmpty()) {
            o.put("qdev", qdev);
        }
        o.put("type", "unknown");
        o.put("removable", dev == null || dev.hasRemovableMedia());
        o.put("locked", dev != null && dev.isMediumLocked());
        // a root whose driver gave up (a corrupt qcow2) has no medium to show
        BlockNode bs = blk.root() == null || blk.root().isEjected() ? null : skipImplicitFilters(blk.root());
        if (bs != null) {
            o.set("inserted", blockDeviceInfo(blk, bs, false));
        }
        if (dev != null && dev.hasTray()) {
            o.put("tray_open", dev.isTrayOpen());
        }
        if (dev != null && dev.ioStatusEnabled()) {
            o.put("io-status", dev.ioStatus());
        }
        return o;
    }

    static BlockNode skipImplicitFilters(BlockNode bs) {
        while (bs.isImplicit()) {
            BdrvChild c = bs.filterChild();
            if (c == null) {
                break;
            }
            bs = c.node();
        }
        return bs;
    }

    /** BlockDeviceInfo of {@code bs}; {@code blk} is the backend it is shown for (query-block) or null. */
    public ObjectNode blockDeviceInfo(BlockBackend blk, BlockNode bs, boolean flat) {
        return blockDeviceInfo(blk, bs, flat, new Object());
    }

    /** {@code pass}: filenames are refreshed once per pass (see {@link BlockNode#refreshFilename(Object)}). */
    private ObjectNode blockDeviceInfo(BlockBackend blk, BlockNode bs, boolean flat, Object pass) {
        if (bs.isEjected()) {
            throw new BlockException("Block device " + bs.name() + " is ejected");
        }
        bs.refreshFilename(pass);
        ObjectNode o = F.objectNode();
        o.put("file", bs.filename());
        o.put("node-name", bs.name());
        o.put("ro", bs.isReadOnly());
        o.put("drv", bs.driver().formatName());
        BdrvChild cow = bs.backing() != null && !bs.driver().isFilter() ? bs.backing() : null;
        if (cow != null) {
            o.put("backing_file", cow.node().filename());
        }
        o.put("backing_file_depth", 0);
        o.put("encrypted", false);
        o.put("detect_zeroes", bs.detectZeroes().qapiName());
        for (String k : List.of("bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr")) {
            o.put(k, 0);
        }
        int depth = 0;
        ObjectNode image = imageInfo(bs, pass);
        o.set("image", image);
        if (!flat) {
            BlockNode bs0 = bs;
            ObjectNode cur = image;
            while (bs0.filterOrCowChild() != null) {
                depth++;
                bs0 = bs0.filterOrCowChild().node();
                if (blk != null) {
                    bs0 = skipImplicitFilters(bs0);
                }
                ObjectNode next = imageInfo(bs0, pass);
                cur.set("backing-image", next);
                cur = next;
            }
        }
        o.put("backing_file_depth", depth);
        ObjectNode cache = F.objectNode();
        cache.put("writeback", blk == null || blk.writeCacheEnabled());
        cache.put("direct", bs.cacheDirect());
        cache.put("no-flush", bs.cacheNoFlush());
        o.set("cache", cache);
        o.put("write_threshold", 0);
        ArrayNode bitmaps = dev.blockdeck.engine.bitmap.qmp.DirtyBitmapInfo.query(bs.dirtyBitmaps());
        if (!bitmaps.isEmpty()) {
            o.set("dirty-bitmaps", bitmaps);
        }
        return o;
    }

    /** QEMU's bdrv_query_image_info (flat). */
    public ObjectNode imageInfo(BlockNode bs) {
        return imageInfo(bs, new Object());
    }

    private ObjectNode imageInfo(BlockNode bs, Object pass) {
        long size;
        try {
            size = bs.refreshLength();
        } catch (BlockIOException e) {
            throw new BlockException("Can't get image size '" + bs.exactFilename() + "': " + e.errno().text());
        }
        bs.refreshFilename(pass);
        ObjectNode o = F.objectNode();
        o.put("filename", bs.filename());
        o.put("format", bs.driver().formatName());
        Optional<DriverInfo> info = bs.info();
        info.ifPresent(i -> o.put("dirty-flag", i.dirty()));
        bs.driverState().allocatedFileSize().ifPresent(a -> o.put("actual-size", a));
        o.put("virtual-size", size);
        info.ifPresent(i -> {
            if (i.clusterSize() != 0) {
                o.put("cluster-size", i.clusterSize());
            }
        });
        String backingFile = bs.backingFile();
        if (!backingFile.isEmpty()) {
            o.put("backing-filename", backingFile);
            if (!bs.backingFormat().isEmpty()) {
                o.put("backing-filename-format", bs.backingFormat());
            }
            String full = BackingFilenames.fullOrNull(bs);
            if (full != null) {
                o.put("full-backing-filename", full);
            }
        }
        dev.blockdeck.engine.block.snapshot.BlockSnapshots.infoList(bs).ifPresent(a -> o.set("snapshots", a));
        ObjectNode specific = bs.driverState().specificInfo();
        if (specific != null) {
            o.set("format-specific", specific);
        }
        return o;
    }

    // ---- query-blockstats ---------------------------------------------------------------------------------

    public ArrayNode blockStats(boolean queryNodes) {
        ArrayNode out = F.arrayNode();
        if (queryNodes) {
            for (BlockNode bs : graph.nodes()) {
                out.add(bdsStats(bs, false));
            }
            return out;
        }
        for (BlockBackend blk : graph.backends()) {
            if (blk.name() == null && blk.device() == null) {
                continue;
            }
            ObjectNode s = bdsStats(blk.root(), true);
            ObjectNode o = F.objectNode();
            o.put("device", blk.name() == null ? "" : blk.name());
            String qdev = blk.attachedDeviceId();
            if (!qdev.isEmpty()) {
                o.put("qdev", qdev);
            }
            s.fields().forEachRemaining(e -> o.set(e.getKey(), e.getValue()));
            fillBlkStats((ObjectNode) o.get("stats"), blk.stats().snapshot());
            out.add(reorderStats(o));
        }
        return out;
    }

    /** Keeps BlockStats members in schema order after the device fields were put in front. */
    private static ObjectNode reorderStats(ObjectNode o) {
        ObjectNode r = F.objectNode();
        for (String k : List.of("device", "qdev", "node-name", "stats", "driver-specific", "parent", "backing")) {
            if (o.has(k)) {
                r.set(k, o.get(k));
            }
        }
        return r;
    }

    private ObjectNode bdsStats(BlockNode bs, boolean blkLevel) {
        ObjectNode o = F.objectNode();
        if (bs == null) {
            o.set("stats", zeroStats(0));
            return o;
        }
        if (blkLevel) {
            bs = skipImplicitFilters(bs);
        }
        if (!bs.name().isEmpty()) {
            o.put("node-name", bs.name());
        }
        o.set("stats", zeroStats(bs.wrHighestOffset()));
        ObjectNode specific = bs.driverState().specificStats();
        if (specific != null) {
            o.set("driver-specific", specific);
        }
        BdrvChild parent = bs.primaryChild();
        if (parent == null || (parent.role() & (ChildRole.DATA | ChildRole.FILTERED)) == 0) {
            parent = null;
            for (BdrvChild c : bs.childEdges()) {
                if ((c.role() & ChildRole.DATA) != 0) {
                    if (parent != null) {
                        parent = null;
                        break;
                    }
                    parent = c;
                }
            }
        }
        if (parent != null) {
            o.set("parent", bdsStats(parent.node(), blkLevel));
        }
        BdrvChild fc = bs.filterOrCowChild();
        if (blkLevel && fc != null) {
            o.set("backing", bdsStats(fc.node(), blkLevel));
        }
        return o;
    }

    private static ObjectNode zeroStats(long wrHighest) {
        ObjectNode s = F.objectNode();
        for (String k : List.of("rd_bytes", "wr_bytes", "unmap_bytes", "rd_operations", "wr_operations",
                "flush_operations", "unmap_operations", "rd_total_time_ns", "wr_total_time_ns",
                "flush_total_time_ns", "unmap_total_time_ns")) {
            s.put(k, 0);
        }
        s.put("wr_highest_offset", wrHighest);
        for (String k : List.of("rd_merged", "wr_merged", "unmap_merged", "failed_rd_operations",
                "failed_wr_operations", "failed_flush_operations", "failed_unmap_operations", "invalid_rd_operations",
                "invalid_wr_operations", "invalid_flush_operations", "invalid_unmap_operations")) {
            s.put(k, 0);
        }
        s.put("account_invalid", false);
        s.put("account_failed", false);
        s.putArray("timed_stats");
        return s;
    }

    /** QEMU's bdrv_query_blk_stats: the backend's accounting into a BlockDeviceStats built by zeroStats. */
    private static void fillBlkStats(ObjectNode s, BlockAcctStats.Snapshot st) {
        long wrHighest = s.get("wr_highest_offset").asLong();
        ObjectNode n = F.objectNode();
        n.put("rd_bytes", st.bytes(Type.READ));
        n.put("wr_bytes", st.bytes(Type.WRITE));
        n.put("unmap_bytes", st.bytes(Type.UNMAP));
        n.put("rd_operations", st.ops(Type.READ));
        n.put("wr_operations", st.ops(Type.WRITE));
        n.put("flush_operations", st.ops(Type.FLUSH));
        n.put("unmap_operations", st.ops(Type.UNMAP));
        n.put("rd_total_time_ns", st.totalTimeNs(Type.READ));
        n.put("wr_total_time_ns", st.totalTimeNs(Type.WRITE));
        n.put("flush_total_time_ns", st.totalTimeNs(Type.FLUSH));
        n.put("unmap_total_time_ns", st.totalTimeNs(Type.UNMAP));
        n.put("wr_highest_offset", wrHighest);
        n.put("rd_merged", st.merged(Type.READ));
        n.put("wr_merged", st.merged(Type.WRITE));
        n.put("unmap_merged", st.merged(Type.UNMAP));
        if (st.idleTimeNs() >= 0) {
            n.put("idle_time_ns", st.idleTimeNs());
        }
        n.put("failed_rd_operations", st.failed(Type.READ));
        n.put("failed_wr_operations", st.failed(Type.WRITE));
        n.put("failed_flush_operations", st.failed(Type.FLUSH));
        n.put("failed_unmap_operations", st.failed(Type.UNMAP));
        n.put("invalid_rd_operations", st.invalid(Type.READ));
        n.put("invalid_wr_operations", st.invalid(Type.WRITE));
        n.put("invalid_flush_operations", st.invalid(Type.FLUSH));
        n.put("invalid_unmap_operations", st.invalid(Type.UNMAP));
        n.put("account_invalid", st.accountInvalid());
        n.put("account_failed", st.accountFailed());
        n.putArray("timed_stats");
        s.removeAll();
        s.setAll(n);
    }

    // ---- x-debug-query-block-graph --------------------------------------------------------------------------

    public ObjectNode debugGraph() {
        Map<Object, Integer> ids = new IdentityHashMap<>();
        List<ObjectNode> nodes = new ArrayList<>();
        List<ObjectNode> edges = new ArrayList<>();
        for (BlockBackend blk : graph.backends()) {
            String name = blk.name() != null ? blk.name() : blk.attachedDeviceId();
            nodes.add(0, graphNode(ids, blk, "block-backend", name));
            if (blk.rootEdge() != null) {
                edges.add(0, graphEdge(ids, blk, blk.rootEdge()));
            }
        }
        for (JobView.Job job : jobs.jobs()) {
            nodes.add(0, graphNode(ids, job.identity(), "block-job", job.id()));
            for (BdrvChild c : job.edges()) {
                edges.add(0, graphEdge(ids, job.identity(), c));
            }
        }
        for (BlockNode bs : graph.nodes()) {
            nodes.add(0, graphNode(ids, bs, "block-driver", bs.name()));
            for (BdrvChild c : bs.childEdges()) {
                edges.add(0, graphEdge(ids, bs, c));
            }
        }
        ObjectNode out = F.objectNode();
        ArrayNode n = out.putArray("nodes");
        nodes.forEach(n::add);
        ArrayNode e = out.putArray("edges");
        edges.forEach(e::add);
        return out;
    }

    private static int id(Map<Object, Integer> ids, Object o) {
        return ids.computeIfAbsent(o, k -> ids.size() + 1);
    }

    private static ObjectNode graphNode(Map<Object, Integer> ids, Object o, String type, String name) {
        ObjectNode n = F.objectNode();
        n.put("id", id(ids, o));
        n.put("type", type);
        n.put("name", name);
        return n;
    }

    private static ObjectNode graphEdge(Map<Object, Integer> ids, Object parent, BdrvChild c) {
        ObjectNode e = F.objectNode();
        e.put("parent", id(ids, parent));
        e.put("child", id(ids, c.node()));
        e.put("name", c.name());
        ArrayNode p = e.putArray("perm");
        BlockPerm.qapiList(c.perm()).forEach(p::add);
        ArrayNode s = e.putArray("shared-perm");
        BlockPerm.qapiList(c.sharedPerm()).forEach(s::add);
        return e;
    }
}
