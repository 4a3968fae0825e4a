package dev.blockdeck.engine.block.driver.file;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.List;

import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.Member;
import dev.blockdeck.engine.monitor.qapi.ObjectType;

/** The {@code file} protocol driver: a regular host file (QEMU's file-posix for files). */
public final class FileDriver implements BlockDriver {
    public static final FileDriver INSTANCE = new FileDriver();

    static final EnumType AIO = EnumType.of("BlockdevAioOptions", "threads", "native", "io_uring");

    private FileDriver() {
    }

    @Override
    public String formatName() {
        return "file";
    }

    @Override
    public boolean isProtocol() {
        return true;
    }

    @Override
    public String protocolName() {
        return "file";
    }

    @Override
    public boolean needsFilename() {
        return true;
    }

    @Override
    public List<String> mutableOptions() {
        return List.of("x-check-cache-dropped");
    }

    @Override
    public ObjectType qapiVariant(BlockTypes types) {
        return ObjectType.builder("BlockdevOptionsFile")
                .required("filename", STR)
                .optional("pr-manager", STR)
                .optional("locking", types.onOffAuto())
                .optional("aio", AIO)
                .optional("aio-max-batch", INT)
                .optional("drop-cache", BOOL)
                .member(new Member("x-check-cache-dropped", BOOL, true, List.of("unstable")))
                .features("dynamic-auto-read-only")
                .build();
    }

    @Override
    public void parseFilename(String filename, NodeOptions options) {
        if (filename.startsWith("file:")) {
            String rest = filename.substring(5);
            int colon = rest.indexOf(':');
            int slash = rest.indexOf('/');
            boolean looksLikeProtocol = colon >= 0 && (slash < 0 || colon < slash);
            options.putString("filename", looksLikeProtocol ? "./" + rest : rest);
        }
    }

    @Override
    public NodeDriver newState(BlockNode node) {
        return new FileNode(node);
    }
}
