package dev.blockdeck.engine.block.driver;

import java.util.List;

import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.monitor.qapi.ObjectType;

/**
 * A block driver: what QEMU's {@code BlockDriver} table says about a driver, and the factory of its per-node
 * state ({@link NodeDriver}). Drivers are stateless singletons registered in {@link Drivers}.
 */
public interface BlockDriver {
    /** The {@code driver} value and the {@code drv}/{@code format} shown by queries. */
    String formatName();

    /** A protocol driver opens a resource itself (QEMU's {@code bdrv_file_open}); a format sits on a child. */
    boolean isProtocol();

    /** Whether it is an image format (raw, qcow2) — decides child option inheritance and probing. */
    default boolean isFormat() {
        return !isProtocol();
    }

    /** Whether nodes of this driver have a {@code backing} child (QEMU's {@code supports_backing}). */
    default boolean supportsBacking() {
        return false;
    }

    /** Filters pass data through one child unchanged (copy-on-read, throttle, ...). */
    default boolean isFilter() {
        return false;
    }

    /** The filename prefix this protocol answers to ({@code null-co} for {@code null-co://}), or null. */
    default String protocolName() {
        return null;
    }

    /** Protocols that cannot work without a filename ({@code file}). */
    default boolean needsFilename() {
        return false;
    }

    /** Options that change what the node shows (they make a filename {@code json:{...}}), in QEMU's order. */
    default List<String> strongRuntimeOptions() {
        return List.of();
    }

    /** Options that may change on reopen; kept for the reopen work. */
    default List<String> mutableOptions() {
        return List.of();
    }

    /** The members this driver adds to BlockdevOptions (its QAPI variant), built with the shared types. */
    ObjectType qapiVariant(BlockTypes types);

    /**
     * Parses a filename given for this protocol (QEMU's {@code bdrv_parse_filename}): puts what it means into
     * {@code options}. Only called when the filename came from the legacy filename argument.
     */
    default void parseFilename(String filename, NodeOptions options) {
    }

    /**
     * The per-node state of a node about to be opened with this driver (QEMU allocates {@code bs->opaque}
     * before calling the driver's open); {@link NodeDriver#open} follows.
     */
    NodeDriver newState(BlockNode node);
}
