package dev.blockdeck.engine.block.driver.nullco;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.UINT64;

import java.util.List;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.monitor.qapi.ObjectType;

/** The {@code null-co} protocol: a device of a given size that stores nothing, optionally slow. */
public final class NullCoDriver implements BlockDriver {
    public static final NullCoDriver INSTANCE = new NullCoDriver();

    private NullCoDriver() {
    }

    @Override
    public String formatName() {
        return "null-co";
    }

    @Override
    public boolean isProtocol() {
        return true;
    }

    @Override
    public String protocolName() {
        return "null-co";
    }

    @Override
    public List<String> strongRuntimeOptions() {
        return List.of("size", "read-zeroes");
    }

    @Override
    public ObjectType qapiVariant(BlockTypes types) {
        return ObjectType.builder("BlockdevOptionsNull")
                .optional("size", INT)
                .optional("latency-ns", UINT64)
                .optional("read-zeroes", BOOL)
                .build();
    }

    @Override
    public void parseFilename(String filename, NodeOptions options) {
        if (!filename.equals("null-co://")) {
            throw new BlockException("The only allowed filename for this driver is 'null-co://'");
        }
    }

    @Override
    public NodeDriver newState(BlockNode node) {
        return new NullCoNode(node);
    }
}
