package dev.blockdeck.app.model;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The mirror of the VM's block state: the latest {@link BlockState}, read again on demand and after events.
 * Plain Java; the ViewModel wraps it in JavaFX properties.
 *
 * <p>For now any event triggers a re-read (a job's status change, a device's removal, ...), debounced: a
 * burst of events costs one read, and at most one read is in flight. Note that {@code blockdev-add} and
 * {@code x-blockdev-set-iothread} emit no event, so a change made by another client shows after a refresh.
 */
public final class VmModel implements AutoCloseable {

    /** Told on the thread that completed the read (a QMP connection thread): hand over to the UI thread. */
    public interface Listener {
        default void reading() {
        }

        void updated(BlockState state);
    }

    private final BlockStateReader reader;
    private final ScheduledExecutorService scheduler;
    private final long quietMillis;
    private final long maxDelayMillis;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private BlockState current = BlockState.EMPTY;
    private CompletableFuture<BlockState> inFlight;
    private CompletableFuture<BlockState> queued;
    private ScheduledFuture<?> debounce;
    private long burstStart;
    private boolean closed;

    /**
     * @param quietMillis    re-read this long after the last event of a burst
     * @param maxDelayMillis but no later than this after the first one (events may never stop, e.g. jobs)
     */
    public VmModel(QmpCommands qmp, ScheduledExecutorService scheduler, long quietMillis, long maxDelayMillis) {
        this(qmp, new KnownMoves(), scheduler, quietMillis, maxDelayMillis);
    }

    /** @param moves this console's moves, which place components where the VM does not report contexts */
    public VmModel(QmpCommands qmp, KnownMoves moves, ScheduledExecutorService scheduler, long quietMillis,
                   long maxDelayMillis) {
        this.reader = new BlockStateReader(qmp, moves);
        this.scheduler = scheduler;
        this.quietMillis = quietMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public BlockState current() {
        synchronized (lock) {
            return current;
        }
    }

    /**
     * Reads the state now, or right after the read in flight (whose answers may predate the caller's reason).
     * Completes with the state that was published.
     */
    public CompletableFuture<BlockState> refresh() {
        CompletableFuture<BlockState> start;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(current);
            }
            if (inFlight != null) {
                if (queued == null) {
                    queued = new CompletableFuture<>();
                }
                return queued;
            }
            inFlight = new CompletableFuture<>();
            start = inFlight;
        }
        read(start);
        return start;
    }

    /** An event arrived (any event, for now): re-read once the burst is over. */
    public void onEvent(String name) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            if (debounce == null || debounce.isDone()) {
                burstStart = now;
            } else {
                debounce.cancel(false);
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(now - burstStart);
            long delay = Math.max(0, Math.min(quietMillis, maxDelayMillis - waited));
            debounce = scheduler.schedule(this::refresh, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void read(CompletableFuture<BlockState> result) {
        listeners.forEach(Listener::reading);
        reader.read().whenComplete((state, error) -> {
            BlockState s = error != null
                    ? BlockState.unavailable("Reading the block state failed: " + BlockStateReader.describe(error))
                    : state;
            CompletableFuture<BlockState> next;
            boolean wasClosed;
            synchronized (lock) {
                wasClosed = closed;
                if (!closed) {
                    current = s;
                }
                next = queued;
                queued = null;
                inFlight = next;
            }
            if (!wasClosed) {
                listeners.forEach(l -> l.updated(s));
            }
            result.complete(s);
            if (next != null) {
                if (wasClosed) {
                    next.complete(s);
                } else {
                    read(next);
                }
            }
        });
    }

    /** Stops reacting; a read in flight is dropped. The session is closed by its owner. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (debounce != null) {
                debounce.cancel(false);
            }
        }
    }
}
