package dev.blockdeck.engine.aio;

/**
 * An {@code iothread} object: a real thread running its own AioContext, with QEMU's polling
 * properties (kept and reported; the Java event loop blocks rather than busy-polls).
 *
 * <p>Holders: whoever starts the thread holds it (the {@code /objects} child); a device whose
 * {@code iothread} link names it should {@link #retain} it. As in QEMU, {@code object-del} only drops the
 * first hold: the thread runs until the last holder {@link #release}s it.
 */
public final class IoThread {
    private final String id;
    private final EventLoop loop;
    private final AioContext context;
    private volatile long pollMaxNs = 32768;
    private volatile long pollGrow;
    private volatile long pollShrink;
    private volatile long aioMaxBatch;
    private volatile long threadPoolMin;
    private volatile long threadPoolMax = 64;
    private int holds; // guarded by this

    public IoThread(String id) {
        this.id = id;
        this.loop = new EventLoop("IO " + id);
        this.context = new AioContext(id, loop);
    }

    /** Starts the thread, held once by the caller. */
    public void start() {
        synchronized (this) {
            holds = 1;
        }
        loop.start();
        while (loop.nativeThreadId() < 0 && loop.thread().isAlive()) {
            Thread.onSpinWait(); // thread-id must be known before query-iothreads can see us
        }
    }

    /** Stops the thread now, whoever holds it (engine shutdown); returns once it has ended. */
    public void stop() {
        loop.stop();
    }

    /** Another holder (e.g. a device's {@code iothread} link) keeps the thread running. */
    public synchronized void retain() {
        if (holds == 0) {
            throw new IllegalStateException("iothread " + id + " is not running");
        }
        holds++;
    }

    /** Whether someone besides its first holder (e.g. a device's {@code iothread} link) keeps it running. */
    public synchronized boolean heldByOthers() {
        return holds > 1;
    }

    /** Drops one hold; the last one stops the thread. */
    public void release() {
        boolean last;
        synchronized (this) {
            if (holds == 0) {
                throw new IllegalStateException("iothread " + id + " is not held");
            }
            last = --holds == 0;
        }
        if (last) {
            stop();
        }
    }

    /** Whether the thread has started and not yet ended. */
    public boolean isAlive() {
        return loop.thread().isAlive();
    }

    public String id() {
        return id;
    }

    public AioContext context() {
        return context;
    }

    public long threadId() {
        return loop.nativeThreadId();
    }

    public long pollMaxNs() {
        return pollMaxNs;
    }

    public void setPollMaxNs(long v) {
        pollMaxNs = v;
    }

    public long pollGrow() {
        return pollGrow;
    }

    public void setPollGrow(long v) {
        pollGrow = v;
    }

    public long pollShrink() {
        return pollShrink;
    }

    public void setPollShrink(long v) {
        pollShrink = v;
    }

    public long aioMaxBatch() {
        return aioMaxBatch;
    }

    public void setAioMaxBatch(long v) {
        aioMaxBatch = v;
    }

    public long threadPoolMin() {
        return threadPoolMin;
    }

    public void setThreadPoolMin(long v) {
        threadPoolMin = v;
    }

    public long threadPoolMax() {
        return threadPoolMax;
    }

    public void setThreadPoolMax(long v) {
        threadPoolMax = v;
    }
}
