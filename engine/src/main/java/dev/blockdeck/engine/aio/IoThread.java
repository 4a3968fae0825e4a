package dev.blockdeck.engine.aio;

/**
 * An {@code iothread} object: a real thread running its own AioContext, with QEMU's polling
 * properties (kept and reported; the Java event loop blocks rather than busy-polls).
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

    public IoThread(String id) {
        this.id = id;
        this.loop = new EventLoop("IO " + id);
        this.context = new AioContext(id, loop);
    }

    public void start() {
        loop.start();
        while (loop.nativeThreadId() < 0 && loop.thread().isAlive()) {
            Thread.onSpinWait(); // thread-id must be known before query-iothreads can see us
        }
    }

    public void stop() {
        loop.stop();
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
