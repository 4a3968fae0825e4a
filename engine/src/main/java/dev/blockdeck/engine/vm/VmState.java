package dev.blockdeck.engine.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.monitor.EventBroadcaster;

/** The VM's run state and name. Touched only from the main loop. */
public final class VmState {
    private final EventBroadcaster events;
    private final String name;
    private RunStatus status;
    private volatile boolean shutdownRequested;
    /** The virtual clock: nanoseconds the VM has run, up to {@link #runningSince} while it runs. */
    private long clockNs;
    private long runningSince;
    private final List<Consumer<RunStatus>> listeners = new ArrayList<>();

    public VmState(EventBroadcaster events, String name, boolean startPaused) {
        this.events = events;
        this.name = name;
        this.status = startPaused ? RunStatus.PRELAUNCH : RunStatus.RUNNING;
        this.runningSince = System.nanoTime();
    }

    /**
     * QEMU's QEMU_CLOCK_VIRTUAL without a guest CPU: host time that passed while the VM ran (0 before the first
     * start, frozen while stopped). Internal snapshots record it.
     */
    public long virtualClockNs() {
        return status == RunStatus.RUNNING ? clockNs + (System.nanoTime() - runningSince) : clockNs;
    }

    public RunStatus status() {
        return status;
    }

    public String name() {
        return name;
    }

    /** Whether the guest runs (QEMU's runstate_is_running). */
    public boolean running() {
        return status == RunStatus.RUNNING;
    }

    /**
     * Tells {@code l} of every change between running and not running (QEMU's VM change state handlers, e.g. a
     * virtio device's dataplane): after RESUME when the VM starts, before STOP when it stops.
     */
    public void addRunStateListener(Consumer<RunStatus> l) {
        listeners.add(l);
    }

    private void notifyListeners() {
        List.copyOf(listeners).forEach(l -> l.accept(status));
    }

    /** Pauses a running VM (STOP event); anything else is left as it is, silently, as in QEMU. */
    public void stop() {
        if (status == RunStatus.RUNNING) {
            clockNs += System.nanoTime() - runningSince;
            status = RunStatus.PAUSED;
            notifyListeners();
            events.emit("STOP", null);
        }
    }

    /** Resumes a VM that is not running (RESUME event); already running is a silent no-op. */
    public void cont() {
        if (status != RunStatus.RUNNING) {
            runningSince = System.nanoTime();
            status = RunStatus.RUNNING;
            events.emit("RESUME", null);
            notifyListeners();
        }
    }

    /** Announces shutdown; the engine exits once the current command has been answered. */
    public void quit() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("guest", false);
        data.put("reason", "host-qmp-quit");
        events.emit("SHUTDOWN", data);
        shutdownRequested = true;
    }

    public boolean shutdownRequested() {
        return shutdownRequested;
    }
}
