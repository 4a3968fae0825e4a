package dev.blockdeck.engine.monitor;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The engine's main loop: one thread that runs every QMP command, one at a time (QEMU's big lock,
 * without its recursion). Monitor connections parse on their own threads and queue work here.
 */
public final class MainLoop implements AutoCloseable {
    private final ExecutorService executor;
    private volatile Thread thread;

    public MainLoop() {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "main-loop");
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    public boolean inMainLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the main loop and waits for it (runs inline if already there). */
    public <T> T call(Callable<T> task) throws InterruptedException {
        if (inMainLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = executor.submit(task);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    /** Queues {@code task} to run after whatever the main loop is doing now. */
    public void later(Runnable task) {
        executor.execute(task);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
