package dev.blockdeck.engine.monitor;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.aio.MainContext;

/**
 * The monitor's view of the main loop: QMP commands run there one at a time (QEMU's big lock,
 * without its recursion); monitor connections parse on their own threads and queue work here.
 */
public final class MainLoop implements AutoCloseable {
    private final MainContext main = new MainContext();

    public boolean inMainLoop() {
        return main.inMainLoop();
    }

    public MainContext mainContext() {
        return main;
    }

    public AioContext context() {
        return main.context();
    }

    /** Runs {@code task} as a command on the main loop and waits for it (inline if already there). */
    public <T> T call(Callable<T> task) throws InterruptedException {
        if (inMainLoop()) {
            return callInline(task);
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        main.executeCommand(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
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

    private static <T> T callInline(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Queues {@code task} to run after whatever the main loop is doing now. */
    public void later(Runnable task) {
        main.executeCommand(task);
    }

    @Override
    public void close() {
        main.stop();
    }
}
