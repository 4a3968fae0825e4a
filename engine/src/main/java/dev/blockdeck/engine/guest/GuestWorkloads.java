package dev.blockdeck.engine.guest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.qmp.QmpErrorClass;
import dev.blockdeck.qmp.QmpException;

/**
 * The engine's workloads by id. Main loop only. A drive is a guest device (its id, or a drive a device uses: the
 * requests go through the device's queue) or a bare drive, on which the workload takes write permission the way
 * virtio-blk does (consistent read and write, sharing everything but write) and gives the old permissions back on
 * stop. A drive serves one workload at a time.
 */
public final class GuestWorkloads {
    private final BlockGraph graph;
    private final GuestDiskLookup devices;
    private final Map<String, GuestWorkload> byId = new LinkedHashMap<>();
    private final Map<BlockBackend, String> driveOwners = new LinkedHashMap<>();

    public GuestWorkloads(BlockGraph graph) {
        this(graph, GuestDiskLookup.NONE);
    }

    /** {@code devices} resolves names that mean a guest device (a device id, or a drive a device uses). */
    public GuestWorkloads(BlockGraph graph, GuestDiskLookup devices) {
        this.graph = graph;
        this.devices = devices;
        // at shutdown the workloads stop before the nodes flush and close
        graph.addCloseHook(this::stopAll);
    }

    GuestWorkload start(WorkloadConfig cfg) {
        if (byId.containsKey(cfg.id())) {
            throw new QmpException("Guest workload '" + cfg.id() + "' already exists");
        }
        List<GuestDrive> drives = new ArrayList<>();
        long seed = cfg.id().hashCode() * 0x9E3779B97F4A7C15L ^ System.nanoTime();
        for (String name : cfg.drives()) {
            drives.add(openDrive(cfg, name, seed + drives.size()));
        }
        int perm = BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE);
        int shared = BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE_UNCHANGED, BlockPerm.RESIZE);
        List<GuestDrive> taken = new ArrayList<>();
        try {
            for (GuestDrive d : drives) {
                if (d.disk.takesPermissions()) {
                    graph.setBackendPerm(d.blk, perm, shared);
                    taken.add(d);
                }
            }
        } catch (BlockException e) {
            taken.forEach(this::restorePerm);
            throw new QmpException(e.getMessage());
        }
        GuestWorkload w = new GuestWorkload(cfg, drives, graph.timers(), graph::kickWaiters, graph::emitEvent);
        byId.put(cfg.id(), w);
        drives.forEach(d -> driveOwners.put(d.blk, cfg.id()));
        w.start();
        return w;
    }

    private GuestDrive openDrive(WorkloadConfig cfg, String name, long seed) {
        GuestDisk disk = devices.find(name).orElseGet(() -> GuestDisk.of(graph.findBackend(name).orElseThrow(
                () -> new QmpException(QmpErrorClass.DeviceNotFound, "Device '" + name + "' not found"))));
        BlockBackend blk = disk.backend();
        if (!disk.writable()) {
            throw new QmpException("Device '" + name + "' is read-only");
        }
        String owner = driveOwners.get(blk);
        if (owner != null) {
            throw new QmpException("Drive '" + name + "' is in use by guest workload '" + owner + "'");
        }
        BlockNode root = blk.root();
        if (root == null) {
            throw new QmpException("Device '" + name + "' has no medium");
        }
        long blocks = Math.min(root.length() / cfg.blockSize(), GuestDrive.MAX_BLOCKS);
        if (blocks < 1) {
            throw new QmpException("Parameter 'block-size' expects a size no larger than drive '" + name + "' ("
                    + root.length() + " bytes)");
        }
        return new GuestDrive(name, disk, (int) blocks, cfg.blockSize(), cfg.pattern(), seed);
    }

    /**
     * Stops a workload: no new requests, waits for those in flight, flushes its drives (as a guest syncs before it
     * lets go) and gives their permissions back. Returns it with its final counters.
     */
    GuestWorkload stop(String id) {
        GuestWorkload w = byId.get(id);
        if (w == null) {
            throw new QmpException("Guest workload '" + id + "' not found");
        }
        quiesce(w);
        for (GuestDrive d : w.drives()) {
            if (d.blk.root() != null) {
                try {
                    graph.callInContext(d.context(), d.disk::flush);
                } catch (BlockIOException e) {
                    w.stats().error("drive '" + d.name + "': flush failed: " + e.getMessage());
                }
            }
        }
        release(w);
        return w;
    }

    List<GuestWorkload> list() {
        return List.copyOf(byId.values());
    }

    /** Shutdown: every workload stops where it is (the nodes flush when they close). */
    private void stopAll() {
        for (GuestWorkload w : List.copyOf(byId.values())) {
            quiesce(w);
            release(w);
        }
    }

    private void quiesce(GuestWorkload w) {
        w.requestStop();
        graph.waitWhile(() -> w.inFlight() > 0);
    }

    private void release(GuestWorkload w) {
        w.drives().forEach(this::restorePerm);
        w.drives().forEach(d -> driveOwners.remove(d.blk));
        byId.remove(w.config().id());
    }

    private void restorePerm(GuestDrive d) {
        if (!d.disk.takesPermissions() || d.blk.device() != null) {
            return; // a device attached meanwhile now owns the backend's permissions
        }
        try {
            graph.setBackendPerm(d.blk, d.oldPerm, d.oldShared);
        } catch (BlockException e) {
            // giving permissions back cannot conflict with anyone; a root gone meanwhile has nothing to restore
        }
    }
}
