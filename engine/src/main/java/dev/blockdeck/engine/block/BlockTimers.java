package dev.blockdeck.engine.block;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.blockdeck.engine.aio.AioContext;

/**
 * Timers that fire in an AioContext (QEMU's aio_timer_new): one clock thread waits, then hands the callback to
 * the context's thread. Drivers cancel their timers on detach and re-arm them on attach when a node moves.
 */
public final class BlockTimers {
    private final ScheduledThreadPoolExecutor clock;

    public BlockTimers() {
        clock = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "block-timers");
            t.setDaemon(true);
            return t;
        });
        clock.setRemoveOnCancelPolicy(true);
    }

    /** A pending timer. */
    public interface Timer {
        /** Cancels it; returns false if it already fired. */
        boolean cancel();
    }

    /** Runs {@code task} on {@code ctx}'s thread after {@code delayNs}. */
    public Timer schedule(AioContext ctx, long delayNs, Runnable task) {
        ScheduledFuture<?> f = clock.schedule(() -> {
            try {
                ctx.execute(task);
            } catch (IllegalStateException stopped) {
                task.run();
            }
        }, Math.max(0, delayNs), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    public void shutdown() {
        clock.shutdownNow();
    }
}
