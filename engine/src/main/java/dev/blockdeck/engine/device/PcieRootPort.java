package dev.blockdeck.engine.device;

import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.qom.QomContainer;
import dev.blockdeck.qmp.QmpException;

/**
 * {@code pcie-root-port}: a port on q35's root bus with a hotpluggable bus of its own, named after the port's id,
 * where device_add can put devices. Its {@code chassis}/{@code slot} pair must be unique, as in QEMU. Only created
 * on the command line (the root bus takes no hot-plugged devices).
 */
final class PcieRootPort extends QdevDevice {
    static final String TYPE = "pcie-root-port";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final PropertyTable TABLE = PropertyTable.load(TYPE, "pcie-root-port.props");
    /** The name the bus child has in the recording (QEMU names the bus after the port). */
    private static final String RECORDED_BUS = "rp0";

    private final Devices devices;
    private final DeviceQomObject qom;
    private int chassis;
    private int chassisSlot;
    private PciBus secondary;

    PcieRootPort(Devices devices, String id, String name, QomContainer container, PciBus bus, boolean hotplugged) {
        super(TYPE, id, name, container, bus, hotplugged);
        this.devices = devices;
        this.qom = new DeviceQomObject(TABLE.renamed(RECORDED_BUS, name), this::path, this::id);
        qom.compute("parent_bus", () -> F.textNode(bus.qomPath()));
        qom.compute("realized", () -> F.booleanNode(true));
        qom.compute("hotplugged", () -> F.booleanNode(hotplugged()));
        qom.compute("hotpluggable", () -> F.booleanNode(bus.hotpluggable()));
        qom.compute("addr", () -> F.numberNode(devfn()));
        qom.compute("legacy-addr", () -> F.textNode(legacyAddr()));
        qom.compute("chassis", () -> F.numberNode(chassis));
        qom.compute("slot", () -> F.numberNode(chassisSlot));
    }

    @Override
    DeviceQomObject qom() {
        return qom;
    }

    int chassis() {
        return chassis;
    }

    int chassisSlot() {
        return chassisSlot;
    }

    /** The bus behind the port, once realized. */
    PciBus secondaryBus() {
        return secondary;
    }

    @Override
    void setProperty(String name, String value) {
        switch (name) {
            case "chassis" -> chassis = (int) Devices.parseUnsigned(name, value, 0xFF, "uint8_t");
            case "slot" -> chassisSlot = (int) Devices.parseUnsigned(name, value, 0xFFFF, "uint16_t");
            default -> {
                if (TABLE.settableBeforeRealize(name)) {
                    throw new QmpException("Property '" + TYPE + "." + name + "' is not supported by this engine");
                }
                throw new QmpException("Property '" + TYPE + "." + name + "' not found");
            }
        }
    }

    @Override
    void realize() {
        if (!bus().isRoot()) {
            throw new QmpException("pcie-root-port goes on the root bus pcie.0 only in this engine");
        }
        if (devices.chassisSlotTaken(chassis, chassisSlot)) {
            throw new QmpException("Can't add chassis slot, error -16");
        }
        secondary = new PciBus(name(), path() + "/" + name(), true, false, Set.of());
    }

    @Override
    void releaseUnrealized() {
        // nothing taken before realize
    }

    @Override
    void unrealize() {
        freeSlot();
    }
}
