package dev.blockdeck.engine.device;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.guest.GuestDisk;
import dev.blockdeck.engine.qom.QomContainer;
import dev.blockdeck.engine.qom.QomObject;
import dev.blockdeck.engine.qom.QomPaths;
import dev.blockdeck.engine.qom.QomTree;
import dev.blockdeck.engine.vm.RunStatus;
import dev.blockdeck.engine.vm.VmState;
import dev.blockdeck.qmp.QmpErrorClass;
import dev.blockdeck.qmp.QmpException;

/**
 * The machine's devices and PCI buses: adding them (device_add, {@code -device}) and removing them (device_del) in
 * QEMU 7.2's order of checks, and what follows the VM's run state (dataplanes start while it runs; unplug requests
 * are answered by the synthetic guest while it runs). Main loop only.
 *
 * <p>Machines: {@code none} has no PCI bus at all. {@code q35} has {@code pcie.0}, which takes devices only on the
 * command line, and one hotpluggable bus per {@code pcie-root-port}. Hot-unplug needs the guest's consent: with q35's
 * default ACPI hotplug it stays pending until the VM runs (QEMU, which has no guest OS, leaves it pending forever);
 * with native PCIe hotplug ({@code -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off}) a hot-plugged device
 * whose slot the guest never powered goes at once, as in QEMU.
 */
public final class Devices {
    private final BlockGraph graph;
    private final IoThreads ioThreads;
    private final QomTree tree;
    private final VmState vm;
    private final DeviceEvents events;
    private final String program;
    private final String machine;
    private final Map<String, PciBus> buses = new LinkedHashMap<>();
    private final List<QdevDevice> devices = new ArrayList<>();
    private boolean nativeHotplug;
    /** QEMU numbers anonymous devices with one counter that failed attempts also advance. */
    private int anonCount;

    Devices(BlockGraph graph, IoThreads ioThreads, QomTree tree, VmState vm, DeviceEvents events, String machine,
            String program) {
        this.graph = graph;
        this.ioThreads = ioThreads;
        this.tree = tree;
        this.vm = vm;
        this.events = events;
        this.program = program;
        this.machine = machine;
        if (machine.equals("q35")) {
            // slot 0: the host bridge; slot 0x1f: the ICH9 LPC, SATA and SMBus functions
            buses.put("pcie.0", new PciBus("pcie.0", "/machine/q35/pcie.0", false, true, Set.of(0, 0x1f)));
        }
        vm.addRunStateListener(this::runStateChanged);
    }

    /**
     * Start-up, after the {@code -object}s and drives: the {@code -global}s, then every {@code -device} in order
     * (cold-plugged; with the VM running from the start, their dataplanes start at once).
     */
    public void createAtStart(String program, dev.blockdeck.engine.monitor.MainLoop mainLoop, List<String> globals,
                              List<String> deviceOptions) throws dev.blockdeck.engine.EngineStartException {
        DeviceCommandLine.create(this, program, mainLoop, machine, globals, deviceOptions);
    }

    BlockGraph graph() {
        return graph;
    }

    boolean vmRunning() {
        return vm.running();
    }

    void setNativeHotplug(boolean on) {
        nativeHotplug = on;
    }

    // ---- adding ----------------------------------------------------------------------------------------------

    /** Creates and realizes a device; {@code hotplug} once the machine is up (device_add). Throws QEMU's errors. */
    QdevDevice add(DeviceOptions o, boolean hotplug) {
        if (o.driver() == null) {
            throw new QmpException("Parameter 'driver' is missing");
        }
        String type = o.driver().equals("virtio-blk") ? VirtioBlkPci.TYPE : o.driver();
        if (!type.equals(VirtioBlkPci.TYPE) && !type.equals(PcieRootPort.TYPE)) {
            throw new QmpException("'" + o.driver() + "' is not a valid device model name");
        }
        PciBus bus;
        if (o.bus() != null) {
            bus = buses.get(o.bus());
            if (bus == null) {
                throw new QmpException("Bus '" + o.bus() + "' not found");
            }
        } else {
            bus = buses.get("pcie.0");
            if (bus == null) {
                throw new QmpException("No 'PCI' bus found for device '" + type + "'");
            }
        }
        if (hotplug && !bus.hotpluggable()) {
            throw new QmpException("Bus '" + bus.name() + "' does not support hotplugging");
        }
        QomContainer container;
        String name;
        if (o.id() != null) {
            if (o.id().equals("type") || tree.peripheral().child(o.id()).isPresent()) {
                throw new QmpException("Duplicate device ID '" + o.id() + "'");
            }
            container = tree.peripheral();
            name = o.id();
        } else {
            if (type.equals(PcieRootPort.TYPE)) {
                throw new QmpException("pcie-root-port needs an id in this engine (its bus is named after it)");
            }
            container = tree.peripheralAnon();
            name = "device[" + anonCount++ + "]";
        }
        QdevDevice dev = type.equals(VirtioBlkPci.TYPE)
                ? new VirtioBlkPci(this, o.id(), name, container, bus, hotplug)
                : new PcieRootPort(this, o.id(), name, container, bus, hotplug);
        container.addChild(name, dev.qom());
        try {
            for (Map.Entry<String, String> p : o.properties()) {
                dev.setProperty(p.getKey(), p.getValue());
            }
            int slot = bus.freeSlot();
            if (slot < 0) {
                throw new QmpException("PCI: no slot/function available for " + type + ", all in use or reserved");
            }
            dev.takeSlot(slot);
            dev.realize();
        } catch (QmpException | BlockException e) {
            dev.freeSlot();
            dev.releaseUnrealized();
            container.unparent(name);
            throw e instanceof BlockException b ? new QmpException(b.getMessage()) : (QmpException) e;
        }
        devices.add(dev);
        if (dev instanceof PcieRootPort port) {
            buses.put(port.name(), port.secondaryBus());
        }
        return dev;
    }

    // ---- removing --------------------------------------------------------------------------------------------

    /** device_del: the device goes now, or once the guest agrees (see the class comment). */
    void unplugRequest(String id) {
        QdevDevice dev = find(id);
        if (dev.unplugPending()) {
            throw new QmpException("Device " + id + " is already in the process of unplug");
        }
        if (!dev.bus().hotpluggable()) {
            throw new QmpException("Bus '" + dev.bus().name() + "' does not support hotplugging");
        }
        if ((nativeHotplug && dev.hotplugged()) || vm.running()) {
            remove(dev, true);
        } else {
            dev.setUnplugPending(true);
        }
    }

    /** QEMU's find_device_state: an id under /machine/peripheral, or an absolute QOM path. */
    private QdevDevice find(String id) {
        if (!id.startsWith("/")) {
            QdevDevice d = byQom(tree.peripheral().child(id).orElse(null));
            if (d == null) {
                throw new QmpException(QmpErrorClass.DeviceNotFound, "Device '" + id + "' not found");
            }
            return d;
        }
        QomObject o = tree.resolve(id).object();
        if (o == null) {
            throw new QmpException(QmpErrorClass.DeviceNotFound, "Device '" + id + "' not found");
        }
        QdevDevice d = byQom(o);
        if (d != null) {
            return d;
        }
        for (QdevDevice x : devices) {
            if (x instanceof VirtioBlkPci v && v.qom().resolveComponent("virtio-backend").orElse(null) == o) {
                throw new QmpException("Bus 'virtio-bus' does not support hotplugging");
            }
        }
        throw new QmpException(id + " is not a hotpluggable device");
    }

    private QdevDevice byQom(QomObject o) {
        for (QdevDevice d : devices) {
            if (d.qom() == o) {
                return d;
            }
        }
        return null;
    }

    /**
     * The device goes: unrealized, out of the tree, then DEVICE_DELETED for it and its children (after the answer
     * of the command that asked, as QEMU sends them from the objects' finalization).
     */
    private void remove(QdevDevice dev, boolean afterAnswer) {
        List<String> childPaths = dev.deletedChildPaths();
        String path = dev.path();
        dev.unrealize();
        dev.container().unparent(dev.name());
        devices.remove(dev);
        for (String p : childPaths) {
            events.deviceDeleted(null, p, afterAnswer);
        }
        events.deviceDeleted(dev.id(), path, afterAnswer);
    }

    // ---- the VM's run state ------------------------------------------------------------------------------------

    private void runStateChanged(RunStatus s) {
        boolean running = s == RunStatus.RUNNING;
        for (QdevDevice d : List.copyOf(devices)) {
            if (d instanceof VirtioBlkPci v) {
                if (running) {
                    v.startDataplane();
                } else {
                    v.stopDataplane();
                }
            }
        }
        if (running) {
            // the guest now answers the unplug requests it could not answer while stopped
            for (QdevDevice d : List.copyOf(devices)) {
                if (d.unplugPending()) {
                    remove(d, false);
                }
            }
        }
    }

    // ---- iothread links -----------------------------------------------------------------------------------------

    /** What qom-get shows for a link: {@code /objects/ID}, or "" (no link, or the object was deleted). */
    String iothreadPath(IoThread t) {
        return t != null && ioThreads.all().contains(t) ? "/objects/" + t.id() : "";
    }

    /** Resolves an {@code iothread} link value with QEMU's errors. */
    IoThread resolveIothreadLink(String path) {
        Optional<IoThread> t = ioThreads.find(path);
        if (t.isPresent()) {
            return t.get();
        }
        QomPaths.Resolution r = tree.resolve(path);
        if (r.ambiguous()) {
            throw new QmpException("Path '" + path + "' does not uniquely identify an object");
        }
        if (r.object() != null) {
            throw new QmpException("Invalid parameter type for 'iothread', expected: iothread");
        }
        throw new QmpException(QmpErrorClass.DeviceNotFound, "Device '" + path + "' not found");
    }

    /**
     * A device lets go of its iothread. The last hold stops the thread; if something still runs in its context
     * (nodes moved there with x-blockdev-set-iothread after object-del), QEMU would crash: keep the thread instead.
     */
    void releaseIothread(IoThread t) {
        if (t == null) {
            return;
        }
        boolean last = !t.heldByOthers() && !ioThreads.all().contains(t);
        if (last && graph.usesContext(t.context())) {
            warn("iothread '" + t.id() + "' still hosts block nodes: kept running");
            return;
        }
        t.release();
    }

    boolean bootindexUsed(int index) {
        return devices.stream().anyMatch(d -> d instanceof VirtioBlkPci v && v.bootindex() == index);
    }

    boolean chassisSlotTaken(int chassis, int slot) {
        return devices.stream().anyMatch(d -> d instanceof PcieRootPort p && p.chassis() == chassis
                && p.chassisSlot() == slot);
    }

    // ---- lookups for other parts of the engine ---------------------------------------------------------------

    /** A virtio-blk-pci by id (the live move, workloads). */
    Optional<VirtioBlkPci> virtioBlk(String id) {
        return tree.peripheral().child(id).map(this::byQom)
                .filter(VirtioBlkPci.class::isInstance).map(VirtioBlkPci.class::cast);
    }

    /** The guest disk behind a device id, or behind a drive a device uses. */
    public Optional<GuestDisk> guestDisk(String name) {
        Optional<VirtioBlkPci> byId = virtioBlk(name);
        if (byId.isPresent()) {
            return byId.map(VirtioBlkPci::guestDisk);
        }
        Optional<BlockBackend> blk = graph.findBackend(name);
        if (blk.isPresent() && blk.get().device() instanceof VirtioBlkPci v) {
            return Optional.of(v.guestDisk());
        }
        return Optional.empty();
    }

    void warn(String message) {
        System.err.println(program + ": " + message);
    }

    // ---- value parsing as QEMU's string visitor -------------------------------------------------------------

    static boolean parseBool(String name, String v) {
        return switch (v) {
            case "on", "yes", "true", "y" -> true;
            case "off", "no", "false", "n" -> false;
            default -> throw new QmpException("Parameter '" + name + "' expects 'on' or 'off'");
        };
    }

    /** An unsigned qdev property: decimal, 0x hex or 0 octal, as QEMU's strtoull; out of range names the C type. */
    static long parseUnsigned(String name, String v, long max, String ctype) {
        String digits = v.startsWith("-") ? v.substring(1) : v;
        java.math.BigInteger n;
        try {
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                n = new java.math.BigInteger(digits.substring(2), 16);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                n = new java.math.BigInteger(digits.substring(1), 8);
            } else {
                n = new java.math.BigInteger(digits);
            }
        } catch (NumberFormatException e) {
            throw new QmpException("Parameter '" + name + "' expects integer");
        }
        if (v.startsWith("-") || n.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new QmpException("Parameter '" + name + "' expects " + ctype);
        }
        return n.longValue();
    }

}
