package dev.blockdeck.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.blockdeck.engine.aio.AioWait;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.cli.ChardevSpec;
import dev.blockdeck.engine.cli.EngineOptionParser;
import dev.blockdeck.engine.cli.EngineOptions;
import dev.blockdeck.engine.cli.OptionError;
import dev.blockdeck.engine.monitor.Dispatcher;
import dev.blockdeck.engine.monitor.EventBroadcaster;
import dev.blockdeck.engine.monitor.MainLoop;
import dev.blockdeck.engine.monitor.QmpServer;
import dev.blockdeck.engine.monitor.commands.ControlCommands;
import dev.blockdeck.engine.monitor.commands.RunStateCommands;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.engine.qom.Qom;
import dev.blockdeck.engine.vm.VmState;

/**
 * A running engine: the main loop, the VM state and its QMP monitors. Everything outside talks to it
 * over QMP; this class only starts and stops it.
 */
public final class Engine implements AutoCloseable {
    public static final String PROGRAM = "blockdeck-engine";

    private final MainLoop mainLoop = new MainLoop();
    private final AioWait aioWait = new AioWait(mainLoop.mainContext());
    private final IoThreads ioThreads = new IoThreads();
    private final BlockGraph graph = new BlockGraph(mainLoop.mainContext(), aioWait);
    private final QapiSchema schema = new QapiSchema();
    private final EventBroadcaster events = new EventBroadcaster(schema);
    private final VmState vm;
    private final Qom qom;
    private final dev.blockdeck.engine.device.Devices devices;
    private final QmpServer server;
    private final List<Path> unixSockets = new ArrayList<>();
    private final List<InetSocketAddress> tcpSockets = new ArrayList<>();
    private final CompletableFuture<Integer> terminated = new CompletableFuture<>();

    private Engine(EngineOptions options) {
        vm = new VmState(events, options.name(), options.startPaused());
        ControlCommands.register(schema);
        RunStateCommands.register(schema, vm);
        // each command group registers its commands here (one line per group)
        qom = Qom.register(schema, ioThreads, graph::usesContext, options.machine());
        dev.blockdeck.engine.block.qmp.BlockCommands.register(schema, graph, ioThreads);
        graph.setEventSink(events::emit);
        dev.blockdeck.engine.job.JobCommands.register(schema, graph, events);
        dev.blockdeck.engine.txn.TransactionCommands.register(schema, graph, events, System.out,
                dev.blockdeck.engine.bitmap.actions.BitmapActions.dataTypes(),
                dev.blockdeck.engine.bitmap.actions.BitmapActions.factories(graph), vm::virtualClockNs);
        devices = dev.blockdeck.engine.device.DeviceCommands.register(schema, graph, ioThreads, qom.tree(), vm,
                events, options.machine(), PROGRAM);
        dev.blockdeck.engine.guest.GuestCommands.register(schema, graph, devices::guestDisk);
        server = new QmpServer(mainLoop, new Dispatcher(schema), events, EngineVersion.versionInfo(),
                this::afterAnswer);
    }

    /** Starts an engine from a QEMU-style command line. */
    public static Engine start(List<String> qemuStyleArgs) throws EngineStartException {
        EngineOptionParser.Result r;
        try {
            r = EngineOptionParser.parse(qemuStyleArgs);
        } catch (OptionError e) {
            throw new EngineStartException(e.format(PROGRAM), e);
        }
        if (r.action() != EngineOptionParser.Action.RUN) {
            throw new EngineStartException(PROGRAM + ": " + r.action().name().toLowerCase()
                    + " is an option for the command line, not for an embedded engine");
        }
        return start(r.options());
    }

    public static Engine start(EngineOptions options) throws EngineStartException {
        Engine e = new Engine(options);
        try {
            // before any monitor listens, so nothing else touches the objects yet
            e.qom.createAtStart(PROGRAM, options.objects());
            dev.blockdeck.engine.block.cli.BlockCommandLine.createAtStart(PROGRAM, e.mainLoop, e.graph,
                    options.machine(), options.blockdevs(), options.drives());
            e.devices.createAtStart(PROGRAM, e.mainLoop, options.globals(), options.devices());
            for (ChardevSpec spec : options.qmp()) {
                e.listen(spec, options.allowRemoteQmp());
            }
        } catch (EngineStartException | RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    private void listen(ChardevSpec spec, boolean allowRemote) throws EngineStartException {
        String shown = PROGRAM + ": -qmp " + spec.text() + ": ";
        try {
            QmpServer.MonitorHandle handle;
            if (spec.isUnix()) {
                handle = server.listenUnix(spec.unixPath());
                unixSockets.add(spec.unixPath());
            } else {
                if (!allowRemote && !spec.tcp().getAddress().isLoopbackAddress()) {
                    throw new EngineStartException(shown + "refusing to listen on non-loopback address "
                            + spec.tcp().getAddress().getHostAddress()
                            + " (QMP has no authentication; pass --allow-remote-qmp to override)");
                }
                handle = server.listenTcp(spec.tcp());
                tcpSockets.add(handle.tcpAddress());
            }
            if (spec.waitForClient()) {
                // as QEMU with wait=on: start-up goes on only once a client is there
                System.err.println(PROGRAM + ": -qmp " + spec.text() + ": info: waiting for connection on: "
                        + (spec.isUnix() ? "unix:" + spec.unixPath() : "tcp:" + handle.tcpAddress()) + ",server=on");
                handle.awaitFirstClient();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EngineStartException(shown + "interrupted while waiting for a client", ex);
        } catch (IOException ex) {
            String target = spec.isUnix() ? spec.unixPath().toString() : spec.tcp().toString();
            throw new EngineStartException(shown + "Failed to bind socket to " + target + ": "
                    + ioReason(ex), ex);
        }
    }

    private static String ioReason(IOException ex) {
        String m = ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException || (m != null && m.contains("No such file"))) {
            return "No such file or directory";
        }
        return m == null ? ex.getClass().getSimpleName() : m;
    }

    private void afterAnswer() {
        if (vm.shutdownRequested() && !terminated.isDone()) {
            // quit was answered: now close every monitor and stop, off the monitor's own thread
            Thread t = new Thread(() -> stop(0), "engine-shutdown");
            t.setDaemon(true);
            t.start();
        }
    }

    private synchronized void stop(int exitCode) {
        if (terminated.isDone()) {
            return;
        }
        server.close();
        // guest-visible state last: nodes flush and close in their contexts before the threads stop
        try {
            mainLoop.call(() -> {
                graph.closeAll();
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ioThreads.stopAll();
        mainLoop.close();
        terminated.complete(exitCode);
    }

    public List<Path> unixSockets() {
        return List.copyOf(unixSockets);
    }

    /** The TCP addresses listened on, with the port the system chose for port 0. */
    public List<InetSocketAddress> tcpSockets() {
        return List.copyOf(tcpSockets);
    }

    /** Completes with the exit code when the engine stops (after {@code quit}, or {@link #close}). */
    public CompletableFuture<Integer> terminated() {
        return terminated;
    }

    @Override
    public void close() {
        stop(0);
    }
}
