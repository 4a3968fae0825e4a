package dev.blockdeck.engine.device;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockDevice;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.engine.guest.GuestDisk;
import dev.blockdeck.engine.qom.QomContainer;
import dev.blockdeck.qmp.QmpException;

/**
 * {@code virtio-blk-pci}: a PCI proxy with its {@code virtio-blk-device} ({@code virtio-backend} child), attached to
 * a BlockBackend (a {@code -drive}, or an anonymous one it creates on a node) with virtio-blk's permissions, an
 * optional {@code iothread} link, and a request queue ({@link VirtioBlkQueue}).
 *
 * <p>Dataplane: while the VM runs, a device with an iothread handles its queue in the iothread's AioContext, and its
 * backend's whole component is there; otherwise everything is in the main loop (QEMU 7.2 moves the drive when the
 * guest driver starts the device and back when the VM stops; the engine's synthetic guest starts every device while
 * the VM runs). {@link #setIothread} moves all of it live.
 */
final class VirtioBlkPci extends QdevDevice implements BlockDevice {
    static final String TYPE = "virtio-blk-pci";
    static final String BACKEND_TYPE = "virtio-blk-device";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final PropertyTable LEGACY = PropertyTable.load(TYPE, "virtio-blk-pci.legacy.props");
    private static final PropertyTable MODERN = PropertyTable.load(TYPE, "virtio-blk-pci.modern.props");
    private static final PropertyTable BACKEND = PropertyTable.load(BACKEND_TYPE, "virtio-blk-device.props");

    private final Devices devices;
    private final DeviceQomObject qom;
    private final DeviceQomObject backendQom;
    private BlockBackend blk;
    /** Whether the backend is an anonymous one this device created on a node (deleted with the device). */
    private boolean ownsBackend;
    private IoThread iothread;
    private boolean shareRw;
    private int bootindex = -1;
    private Geometry geometry = new Geometry(0, 0, 0);
    private VirtioBlkQueue queue;
    private boolean dataplane;

    private record Geometry(long cyls, long heads, long secs) {
    }

    VirtioBlkPci(Devices devices, String id, String name, QomContainer container, PciBus bus, boolean hotplugged) {
        super(TYPE, id, name, container, bus, hotplugged);
        this.devices = devices;
        // behind a PCIe port virtio is modern-only: no legacy I/O BAR, one memory region fewer
        qom = new DeviceQomObject(bus.isRoot() ? LEGACY : MODERN, this::path, this::id);
        backendQom = new DeviceQomObject(BACKEND, this::backendPath, () -> null);
        qom.child("virtio-backend", backendQom);
        describe(qom);
        describe(backendQom);
        qom.compute("parent_bus", () -> F.textNode(bus.qomPath()));
        qom.compute("hotpluggable", () -> F.booleanNode(bus.hotpluggable()));
        qom.compute("addr", () -> F.numberNode(devfn()));
        qom.compute("legacy-addr", () -> F.textNode(legacyAddr()));
        backendQom.compute("parent_bus", () -> F.textNode(path() + "/virtio-bus"));
    }

    /** What the proxy and its virtio-blk-device both show (QEMU aliases the one's properties to the other). */
    private void describe(DeviceQomObject o) {
        o.compute("realized", () -> F.booleanNode(true));
        o.compute("hotplugged", () -> F.booleanNode(hotplugged()));
        o.compute("iothread", () -> F.textNode(devices.iothreadPath(iothread)));
        o.compute("drive", () -> F.textNode(driveName()));
        o.compute("share-rw", () -> F.booleanNode(shareRw));
        o.compute("bootindex", () -> F.numberNode(bootindex));
        o.compute("cyls", () -> F.numberNode(geometry.cyls()));
        o.compute("heads", () -> F.numberNode(geometry.heads()));
        o.compute("secs", () -> F.numberNode(geometry.secs()));
        o.onSet(PropertyTable.SetterKind.LINK, (name, v) -> setLinkAfterRealize(v));
        o.onSet(PropertyTable.SetterKind.DRIVE, (name, v) -> setDriveAfterRealize(v));
        o.onSet(PropertyTable.SetterKind.BOOTINDEX, (name, v) -> setBootindex(v));
    }

    @Override
    DeviceQomObject qom() {
        return qom;
    }

    String backendPath() {
        return path() + "/virtio-backend";
    }

    int bootindex() {
        return bootindex;
    }

    /** The {@code drive} property: the backend's name, or its node's for an anonymous backend. */
    private String driveName() {
        if (blk == null) {
            return "";
        }
        if (blk.name() != null) {
            return blk.name();
        }
        BlockNode root = blk.root();
        return root == null ? "" : root.name();
    }

    // ---- before realize --------------------------------------------------------------------------------------

    @Override
    void setProperty(String name, String value) {
        switch (name) {
            case "drive" -> setDrive(value);
            case "iothread" -> iothread = value.isEmpty() ? null : devices.resolveIothreadLink(value);
            case "share-rw" -> shareRw = Devices.parseBool(name, value);
            default -> {
                if (LEGACY.settableBeforeRealize(name)) {
                    throw new QmpException("Property '" + TYPE + "." + name + "' is not supported by this engine");
                }
                throw new QmpException("Property '" + TYPE + "." + name + "' not found");
            }
        }
    }

    /** QEMU's drive property: a backend by name, else a node by name (under a new anonymous backend). */
    private void setDrive(String value) {
        if (blk != null) {
            releaseUnrealized();
        }
        var graph = devices.graph();
        BlockBackend b = graph.findBackend(value).orElse(null);
        boolean created = false;
        if (b == null) {
            BlockNode bs = graph.findNode(value).orElse(null);
            if (bs != null) {
                b = graph.newBackend(bs.aioContext(), 0, BlockPerm.ALL);
                created = true;
                try {
                    graph.insert(b, bs);
                } catch (BlockException e) {
                    graph.deleteBackend(b);
                    throw new QmpException(e.getMessage());
                }
            }
        }
        if (b == null) {
            throw new QmpException("Property '" + BACKEND_TYPE + ".drive' can't find value '" + value + "'");
        }
        if (b.device() != null) {
            if (created) {
                graph.deleteBackend(b);
            }
            throw new QmpException("Drive '" + value + "' is already in use by another device");
        }
        graph.attachDevice(b, this);
        blk = b;
        ownsBackend = created;
    }

    @Override
    void realize() {
        if (blk == null) {
            throw new QmpException("drive property not set");
        }
        BlockNode root = blk.root();
        if (root == null) {
            throw new QmpException("Device needs media, but drive is empty");
        }
        AioContext main = devices.graph().mainContext();
        if (root.aioContext() != main) {
            // QEMU 7.2 aborts here (qemu_mutex_unlock_impl: Operation not permitted); refuse instead
            throw new QmpException("Cannot attach a device to drive '" + driveName() + "': it runs in iothread '"
                    + root.aioContext().name() + "' (QEMU 7.2 aborts here); move it to the main loop first");
        }
        int perm = BlockPerm.CONSISTENT_READ.bit() | (root.isReadOnly() ? 0 : BlockPerm.WRITE.bit());
        int shared = BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE_UNCHANGED, BlockPerm.RESIZE)
                | (shareRw ? BlockPerm.WRITE.bit() : 0);
        try {
            devices.graph().setBackendPerm(blk, perm, shared);
        } catch (BlockException e) {
            throw new QmpException(e.getMessage());
        }
        blk.stats().setup(true, true); // account-invalid and account-failed: auto means on for virtio-blk
        geometry = guessGeometry(root.length());
        if (iothread != null) {
            iothread.retain();
        }
        queue = new VirtioBlkQueue(blk, devices.graph()::kickWaiters);
        if (devices.vmRunning()) {
            startDataplane();
        }
    }

    /** QEMU's geometry guess from the size (16 heads, 63 sectors); partition tables are not read. */
    private static Geometry guessGeometry(long bytes) {
        long cyls = bytes / 512 / (16 * 63);
        cyls = Math.max(2, Math.min(16383, cyls));
        return new Geometry(cyls, 16, 63);
    }

    @Override
    void releaseUnrealized() {
        if (blk != null) {
            devices.graph().detachDevice(blk);
            if (ownsBackend) {
                devices.graph().deleteBackend(blk);
            }
            blk = null;
        }
    }

    // ---- dataplane and live moves -----------------------------------------------------------------------------

    /** Whether the queue runs in the iothread now. */
    boolean dataplaneActive() {
        return dataplane;
    }

    /** The VM runs and the guest drives the device: its queue and its drive go to the iothread. */
    void startDataplane() {
        if (iothread == null || dataplane) {
            return;
        }
        try {
            devices.graph().changeBackendContext(blk, iothread.context());
            dataplane = true;
        } catch (BlockException e) {
            // as QEMU: the device keeps working from the main loop
            devices.warn("cannot start virtio-blk dataplane: " + e.getMessage());
        }
    }

    /** The VM stopped (or the device goes away): back to the main loop. */
    void stopDataplane() {
        if (!dataplane) {
            return;
        }
        dataplane = false;
        try {
            devices.graph().changeBackendContext(blk, devices.graph().mainContext());
        } catch (BlockException e) {
            devices.warn("cannot stop virtio-blk dataplane: " + e.getMessage());
        }
    }

    /**
     * The downstream live move: the {@code iothread} link changes and, while the dataplane runs, the queue, the
     * backend and the whole component move to the new context (or the main loop for null) together.
     */
    void setIothread(IoThread target) {
        if (target == iothread) {
            return;
        }
        if (dataplane || (target != null && devices.vmRunning())) {
            AioContext ctx = target == null ? devices.graph().mainContext() : target.context();
            try {
                devices.graph().changeBackendContext(blk, ctx);
            } catch (BlockException e) {
                throw new QmpException(e.getMessage());
            }
            dataplane = target != null;
        }
        if (target != null) {
            target.retain();
        }
        IoThread old = iothread;
        iothread = target;
        devices.releaseIothread(old);
    }

    @Override
    void unrealize() {
        stopDataplane();
        var graph = devices.graph();
        graph.drainBackend(blk);
        queue.stop();
        graph.detachDevice(blk);
        // a -drive goes with its device (QEMU's auto-delete); an anonymous backend is the device's own
        graph.deleteBackend(blk);
        blk = null;
        IoThread old = iothread;
        iothread = null;
        devices.releaseIothread(old);
        freeSlot();
    }

    @Override
    List<String> deletedChildPaths() {
        return List.of(backendPath());
    }

    // ---- qom-set after realize ---------------------------------------------------------------------------------

    private void setLinkAfterRealize(JsonNode v) {
        if (!v.isTextual()) {
            throw new QmpException("Invalid parameter type for 'iothread', expected: string");
        }
        if (!v.textValue().isEmpty()) {
            devices.resolveIothreadLink(v.textValue());
        }
        throw new QmpException("Attempt to set link property 'iothread' on device '(null)' (type '" + BACKEND_TYPE
                + "') after it was realized");
    }

    private void setDriveAfterRealize(JsonNode v) {
        if (!v.isTextual()) {
            throw new QmpException("Invalid parameter type for 'drive', expected: string");
        }
        if (devices.graph().findNode(v.textValue()).isEmpty()) {
            throw new QmpException("Cannot find device='' nor node-name='" + v.textValue() + "'");
        }
        throw new QmpException("Changing the drive of a realized device is not supported by this engine");
    }

    private void setBootindex(JsonNode v) {
        if (!v.isIntegralNumber()) {
            throw new QmpException("Invalid parameter type for 'bootindex', expected: integer");
        }
        if (!v.canConvertToInt()) {
            throw new QmpException("Parameter 'bootindex' expects int32_t");
        }
        int b = v.intValue();
        if (b >= 0 && b != bootindex && devices.bootindexUsed(b)) {
            throw new QmpException("The bootindex " + b + " has already been used");
        }
        bootindex = b;
    }

    // ---- BlockDevice ------------------------------------------------------------------------------------------

    @Override
    public String attachedDeviceId() {
        return backendPath();
    }

    @Override
    public boolean ioStatusEnabled() {
        return true;
    }

    @Override
    public void contextChanged(AioContext ctx) {
        if (queue != null) {
            queue.moveTo(ctx);
        }
    }

    @Override
    public void drainedBegin() {
        if (queue != null) {
            queue.pause();
        }
    }

    @Override
    public void drainedEnd() {
        if (queue != null) {
            queue.resume();
        }
    }

    @Override
    public boolean drainedPoll() {
        return queue != null && queue.busy();
    }

    // ---- the guest's side ---------------------------------------------------------------------------------------

    /** The disk a workload drives: requests go through this device's queue. */
    GuestDisk guestDisk() {
        BlockBackend b = blk;
        VirtioBlkQueue q = queue;
        return new GuestDisk() {
            @Override
            public BlockBackend backend() {
                return b;
            }

            @Override
            public boolean takesPermissions() {
                return false;
            }

            @Override
            public boolean writable() {
                return (b.perm() & BlockPerm.WRITE.bit()) != 0;
            }

            @Override
            public AioContext context() {
                return q.context();
            }

            @Override
            public CompletableFuture<Void> read(long offset, ByteBuffer buf) {
                return q.read(offset, buf);
            }

            @Override
            public CompletableFuture<Void> write(long offset, ByteBuffer buf) {
                return q.write(offset, buf);
            }

            @Override
            public CompletableFuture<Void> flush() {
                return q.flush();
            }
        };
    }
}
