package dev.blockdeck.engine.device;

import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioWait;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.qmp.BlockCommands;
import dev.blockdeck.engine.monitor.Dispatcher;
import dev.blockdeck.engine.monitor.EventBroadcaster;
import dev.blockdeck.engine.monitor.MainLoop;
import dev.blockdeck.engine.monitor.qapi.CommandContext;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.engine.qom.Qom;
import dev.blockdeck.engine.vm.VmState;
import dev.blockdeck.qmp.QmpRequest;

/**
 * An in-process q35 machine for device tests: main loop, IOThreads, block graph, QOM and devices, a running VM, and
 * the commands driven through the monitor's dispatcher; nodes and devices are reachable directly.
 */
final class DeviceRig implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final MainLoop mainLoop = new MainLoop();
    final IoThreads ioThreads = new IoThreads();
    final BlockGraph graph = new BlockGraph(mainLoop.mainContext(), new AioWait(mainLoop.mainContext()));
    final QapiSchema schema = new QapiSchema();
    final VmState vm = new VmState(new EventBroadcaster(schema), null, false);
    final Devices devices;
    private final Dispatcher dispatcher;
    private final CommandContext ctx = new dev.blockdeck.testutil.NegotiatedContext();

    DeviceRig() {
        Qom qom = Qom.register(schema, ioThreads, graph::usesContext, "q35");
        BlockCommands.register(schema, graph, ioThreads);
        devices = DeviceCommands.register(schema, graph, ioThreads, qom.tree(), vm, null, "q35", "test");
        dispatcher = new Dispatcher(schema);
    }

    /** Runs a command on the main loop; returns its answer ({@code return} or {@code error}). */
    JsonNode qmp(String command, String args) {
        try {
            ObjectNode a = args == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(args);
            return onMain(() -> dispatcher.dispatch(ctx, new QmpRequest(command, a, null, false)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode ok(String command, String args) {
        JsonNode r = qmp(command, args);
        if (!r.has("return")) {
            throw new AssertionError(command + " " + args + ": " + r);
        }
        return r.get("return");
    }

    /** A cold-plugged device from {@code -device}-style options. */
    VirtioBlkPci device(Map<String, String> options) {
        return (VirtioBlkPci) onMain(() -> devices.add(DeviceOptions.fromCommandLine(options), false));
    }

    BlockNode node(String name) {
        return onMain(() -> graph.findNode(name).orElseThrow());
    }

    <T> T onMain(Callable<T> c) {
        try {
            return mainLoop.call(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        onMain(() -> {
            graph.closeAll();
            return null;
        });
        ioThreads.stopAll();
        mainLoop.close();
    }
}
