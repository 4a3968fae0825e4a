package dev.blockdeck.engine.aio;

import java.util.function.BooleanSupplier;

/**
 * Where a block node, backend, device or job runs: the main loop's context or an IOThread's. Every
 * request of something in this context is dispatched and completed on its thread.
 */
public final class AioContext {
    private final String name;
    private final EventLoop loop;

    AioContext(String name, EventLoop loop) {
        this.name = name;
        this.loop = loop;
    }

    /** {@code main-loop}, or the iothread's id. */
    public String name() {
        return name;
    }

    public boolean isMainLoop() {
        return name.equals(MainContext.NAME);
    }

    public boolean inThread() {
        return loop.inThread();
    }

    /** Runs {@code task} on this context's thread, after what is queued there. */
    public void execute(Runnable task) {
        loop.executeIo(task);
    }

    /** Runs {@code task} here if already on this thread, otherwise queues it. */
    public void run(Runnable task) {
        if (inThread()) {
            task.run();
        } else {
            execute(task);
        }
    }

    /** From this context's own thread only: keep running its I/O until {@code condition} is false. */
    public void pollWhile(BooleanSupplier condition) {
        loop.pollWhile(condition);
    }

    public long nativeThreadId() {
        return loop.nativeThreadId();
    }

    Thread thread() {
        return loop.thread();
    }

    void kick() {
        loop.kick();
    }

    @Override
    public String toString() {
        return "AioContext[" + name + "]";
    }
}
