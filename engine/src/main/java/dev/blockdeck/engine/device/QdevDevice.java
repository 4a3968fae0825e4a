package dev.blockdeck.engine.device;

import dev.blockdeck.engine.qom.QomContainer;

/**
 * What every device of the machine has (QEMU's DeviceState): its type, id or anonymous name, the container it hangs
 * in ({@code /machine/peripheral} or {@code peripheral-anon}), the bus and slot it sits in, whether it was
 * hot-plugged, and whether an unplug request waits for the guest. Main loop only.
 */
abstract class QdevDevice {
    private final String typename;
    private final String id;
    private final String name;
    private final QomContainer container;
    private final PciBus bus;
    private final boolean hotplugged;
    private int slot = -1;
    private boolean unplugPending;

    /** {@code id} null for an anonymous device, then {@code name} is its {@code device[N]} name. */
    QdevDevice(String typename, String id, String name, QomContainer container, PciBus bus, boolean hotplugged) {
        this.typename = typename;
        this.id = id;
        this.name = name;
        this.container = container;
        this.bus = bus;
        this.hotplugged = hotplugged;
    }

    String typename() {
        return typename;
    }

    /** The user's id, or null. */
    String id() {
        return id;
    }

    /** The canonical QOM path. */
    String path() {
        return container.childPath(name);
    }

    QomContainer container() {
        return container;
    }

    /** The name in its container (the id, or {@code device[N]}). */
    String name() {
        return name;
    }

    PciBus bus() {
        return bus;
    }

    int slot() {
        return slot;
    }

    boolean hotplugged() {
        return hotplugged;
    }

    boolean unplugPending() {
        return unplugPending;
    }

    void setUnplugPending(boolean pending) {
        unplugPending = pending;
    }

    /** The device's QOM object. */
    abstract DeviceQomObject qom();

    /** Applies one property before realize, with QEMU's errors for unknown names and bad values. */
    abstract void setProperty(String name, String value);

    /** Realize: takes a slot (already chosen by the caller) and the device's resources; throws QEMU's errors. */
    abstract void realize();

    /** Undoes whatever the property setters took when realize never happened or failed (QEMU's finalize). */
    abstract void releaseUnrealized();

    /** Unplug: stops the device and gives back what realize took; the caller removes it from the tree. */
    abstract void unrealize();

    /** QOM paths of the devices that go with this one, children first, as DEVICE_DELETED reports them. */
    java.util.List<String> deletedChildPaths() {
        return java.util.List.of();
    }

    void takeSlot(int s) {
        slot = s;
        bus.plug(s, this);
    }

    void freeSlot() {
        if (slot >= 0) {
            bus.unplug(slot, this);
            slot = -1;
        }
    }

    /** {@code addr}: the PCI devfn (slot * 8, function 0). */
    int devfn() {
        return slot * 8;
    }

    /** {@code legacy-addr}: {@code SS.F} in hex. */
    String legacyAddr() {
        return String.format("%02x.%x", slot, 0);
    }
}
