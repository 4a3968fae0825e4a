package dev.blockdeck.engine.monitor.qapi;

import java.util.List;

import dev.blockdeck.engine.glib.GlibStringHashTable;

/**
 * The iteration order of a GLib string hash set, which is where QEMU's input visitor keeps the
 * members it has not consumed yet: with several unexpected arguments, the one QEMU reports is the
 * first in this order. The model itself is {@link GlibStringHashTable}, shared with QOM.
 */
final class GlibStringSetOrder {
    private GlibStringSetOrder() {
    }

    /** The keys (given in insertion order, no duplicates) in the order GLib would iterate them. */
    static List<String> order(List<String> insertionOrder) {
        return GlibStringHashTable.iterationOrder(insertionOrder);
    }
}
