package dev.blockdeck.engine.block;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioWait;
import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.engine.block.qmp.BlockCommands;
import dev.blockdeck.engine.monitor.Dispatcher;
import dev.blockdeck.engine.monitor.MainLoop;
import dev.blockdeck.engine.monitor.qapi.CommandContext;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.qmp.QmpRequest;

/**
 * An in-process block layer for tests: main loop, IOThreads, the graph and the block commands, driven through
 * the same dispatcher the monitor uses, plus direct access to nodes and backends for I/O.
 */
final class BlockRig implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final MainLoop mainLoop = new MainLoop();
    final AioWait aioWait = new AioWait(mainLoop.mainContext());
    final IoThreads ioThreads = new IoThreads();
    final BlockGraph graph = new BlockGraph(mainLoop.mainContext(), aioWait);
    final QapiSchema schema = new QapiSchema();
    private final Dispatcher dispatcher;
    private final CommandContext ctx = new dev.blockdeck.testutil.NegotiatedContext();

    BlockRig() {
        BlockCommands.register(schema, graph, ioThreads);
        dev.blockdeck.engine.txn.TransactionCommands.register(schema, graph, null, System.out,
                dev.blockdeck.engine.bitmap.actions.BitmapActions.dataTypes(),
                dev.blockdeck.engine.bitmap.actions.BitmapActions.factories(graph), () -> 0L); // no VM ran
        dispatcher = new Dispatcher(schema);
    }

    IoThread iothread(String id) {
        IoThread t = new IoThread(id);
        t.start();
        ioThreads.add(t);
        return t;
    }

    /** Runs {@code task} on the main loop (as a command would) and returns its result. */
    <T> T onMain(Callable<T> task) {
        try {
            return mainLoop.call(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void onMain(Runnable task) {
        onMain(() -> {
            task.run();
            return null;
        });
    }

    /** Executes one QMP command; returns the whole answer ({@code return} or {@code error}). */
    ObjectNode qmp(String execute, String argumentsJson) {
        ObjectNode args;
        try {
            args = argumentsJson == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(argumentsJson);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        QmpRequest req = new QmpRequest(execute, args, null, false);
        return onMain(() -> dispatcher.dispatch(ctx, req));
    }

    /** Executes a command that must succeed; returns its {@code return} value. */
    JsonNode ok(String execute, String argumentsJson) {
        ObjectNode a = qmp(execute, argumentsJson);
        if (a.has("error")) {
            throw new AssertionError(execute + " failed: " + a);
        }
        return a.get("return");
    }

    BlockNode node(String name) {
        return onMain(() -> graph.findNode(name).orElseThrow());
    }

    /** An anonymous backend on {@code node}, taking {@code perm}, sharing {@code shared}. */
    BlockBackend backend(String node, int perm, int shared) {
        return onMain(() -> {
            BlockNode bs = graph.findNode(node).orElseThrow();
            BlockBackend b = graph.newBackend(bs.aioContext(), perm, shared);
            graph.insert(b, bs);
            return b;
        });
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ByteBuffer pattern(int len, int seed) {
        ByteBuffer b = ByteBuffer.allocate(len);
        for (int i = 0; i < len; i++) {
            b.put(i, (byte) (seed * 31 + i * 7));
        }
        return b;
    }

    @Override
    public void close() {
        try {
            onMain(graph::closeAll);
        } finally {
            ioThreads.stopAll();
            mainLoop.close();
        }
    }
}
