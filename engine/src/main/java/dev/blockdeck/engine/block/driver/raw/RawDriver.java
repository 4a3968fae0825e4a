package dev.blockdeck.engine.block.driver.raw;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;

import java.util.List;

import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.monitor.qapi.ObjectType;

/** The {@code raw} format: the file's bytes as they are, optionally a window ({@code offset}, {@code size}). */
public final class RawDriver implements BlockDriver {
    public static final RawDriver INSTANCE = new RawDriver();

    private RawDriver() {
    }

    @Override
    public String formatName() {
        return "raw";
    }

    @Override
    public boolean isProtocol() {
        return false;
    }

    @Override
    public List<String> strongRuntimeOptions() {
        return List.of("offset", "size");
    }

    @Override
    public List<String> mutableOptions() {
        return List.of("offset", "size");
    }

    @Override
    public ObjectType qapiVariant(BlockTypes types) {
        return ObjectType.builder("BlockdevOptionsRaw")
                .required("file", types.blockdevRef())
                .optional("offset", INT)
                .optional("size", INT)
                .build();
    }

    @Override
    public NodeDriver newState(BlockNode node) {
        return new RawNode(node);
    }
}
