package dev.blockdeck.engine.device;

import java.util.Set;

/**
 * A PCI bus of the machine: q35's root bus {@code pcie.0} (not hotpluggable; slot 0 holds the host bridge and
 * slot 0x1f the ICH9 functions) or the bus behind a {@code pcie-root-port} (hotpluggable, named after the port).
 * Devices take the first free slot, function 0. Main loop only.
 */
final class PciBus {
    static final int SLOTS = 32;

    private final String name;
    private final String qomPath;
    private final boolean hotpluggable;
    /** Whether devices on it are conventional PCI (keeping virtio's legacy I/O BAR) rather than PCIe-only. */
    private final boolean root;
    private final QdevDevice[] slots = new QdevDevice[SLOTS];
    private final Set<Integer> reserved;

    PciBus(String name, String qomPath, boolean hotpluggable, boolean root, Set<Integer> reserved) {
        this.name = name;
        this.qomPath = qomPath;
        this.hotpluggable = hotpluggable;
        this.root = root;
        this.reserved = Set.copyOf(reserved);
    }

    String name() {
        return name;
    }

    String qomPath() {
        return qomPath;
    }

    boolean hotpluggable() {
        return hotpluggable;
    }

    boolean isRoot() {
        return root;
    }

    /** The first free slot, or -1 when every slot is taken or reserved. */
    int freeSlot() {
        for (int s = 0; s < SLOTS; s++) {
            if (slots[s] == null && !reserved.contains(s)) {
                return s;
            }
        }
        return -1;
    }

    void plug(int slot, QdevDevice dev) {
        slots[slot] = dev;
    }

    void unplug(int slot, QdevDevice dev) {
        if (slots[slot] == dev) {
            slots[slot] = null;
        }
    }
}
