package dev.blockdeck.engine.block.driver.blkdebug;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT32;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.List;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.DebugEvents;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.ObjectType;

/**
 * The {@code blkdebug} driver: a filter over its {@code image} child that fails chosen requests on purpose. Rules
 * are armed by debug events ({@link DebugEvents}) and fail later requests with an errno; a small state machine
 * decides which rules apply. In QEMU 7.2 it is a protocol driver (it opens its child itself), which shows in its
 * error messages ("Block protocol 'blkdebug' ...") and in its unknown allocated size.
 */
public final class BlkdebugDriver implements BlockDriver {
    public static final BlkdebugDriver INSTANCE = new BlkdebugDriver();

    static final EnumType EVENT = new EnumType("BlkdebugEvent", DebugEvents.ALL);
    static final EnumType IO_TYPE = new EnumType("BlkdebugIOType", IoType.qapiNames());

    private BlkdebugDriver() {
    }

    @Override
    public String formatName() {
        return "blkdebug";
    }

    @Override
    public boolean isProtocol() {
        return true;
    }

    @Override
    public boolean isFilter() {
        return true;
    }

    @Override
    public String protocolName() {
        return "blkdebug";
    }

    @Override
    public List<String> strongRuntimeOptions() {
        return List.of("config", "inject-error.", "set-state.", "align", "max-transfer", "opt-write-zero",
                "max-write-zero", "opt-discard", "max-discard");
    }

    @Override
    public ObjectType qapiVariant(BlockTypes types) {
        ObjectType inject = ObjectType.builder("BlkdebugInjectErrorOptions")
                .required("event", EVENT)
                .optional("state", INT)
                .optional("iotype", IO_TYPE)
                .optional("errno", INT)
                .optional("sector", INT)
                .optional("once", BOOL)
                .optional("immediately", BOOL)
                .build();
        ObjectType setState = ObjectType.builder("BlkdebugSetStateOptions")
                .required("event", EVENT)
                .optional("state", INT)
                .required("new_state", INT)
                .build();
        return ObjectType.builder("BlockdevOptionsBlkdebug")
                .required("image", types.blockdevRef())
                .optional("config", STR)
                .optional("align", INT)
                .optional("max-transfer", INT32)
                .optional("opt-write-zero", INT32)
                .optional("max-write-zero", INT32)
                .optional("opt-discard", INT32)
                .optional("max-discard", INT32)
                .optional("inject-error", new ArrayType(inject))
                .optional("set-state", new ArrayType(setState))
                .optional("take-child-perms", new ArrayType(types.permission()))
                .optional("unshare-child-perms", new ArrayType(types.permission()))
                .build();
    }

    /** {@code blkdebug:[CONFIG]:IMAGE}; any other filename names the image alone. */
    @Override
    public void parseFilename(String filename, NodeOptions options) {
        String prefix = "blkdebug:";
        if (!filename.startsWith(prefix)) {
            options.putString("x-image", filename);
            return;
        }
        String rest = filename.substring(prefix.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new BlockException("blkdebug requires both config file and image path");
        }
        if (colon > 0) {
            options.putString("config", rest.substring(0, colon));
        }
        options.putString("x-image", rest.substring(colon + 1));
    }

    @Override
    public NodeDriver newState(BlockNode node) {
        return new BlkdebugNode(node);
    }
}
