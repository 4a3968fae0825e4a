package dev.blockdeck.engine.block;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.aio.AioWait;

/**
 * The main loop waiting for the block layer (QEMU's AIO_WAIT_WHILE / BDRV_POLL_WHILE): it keeps running
 * main-context I/O until a condition clears, and completions on any thread wake it only while someone waits.
 */
final class MainLoopPoll {
    private final AioWait aioWait;
    private final AtomicInteger waiters = new AtomicInteger();

    MainLoopPoll(AioWait aioWait) {
        this.aioWait = aioWait;
    }

    /** From the main loop: keeps running main-context I/O until {@code cond} is false. */
    void waitWhile(BooleanSupplier cond) {
        waiters.incrementAndGet();
        try {
            aioWait.waitWhile(cond);
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Completions call this: wakes a main-loop wait if there is one. */
    void kickWaiters() {
        if (waiters.get() > 0) {
            aioWait.kick();
        }
    }

    /**
     * From the main loop: runs {@code op} on {@code ctx}'s thread and waits for its future (QEMU's
     * BDRV_POLL_WHILE around a coroutine). Throws the request's I/O error.
     */
    <T> T callInContext(AioContext ctx, Supplier<CompletableFuture<T>> op) throws BlockIOException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                op.get().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                    kickWaiters();
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        if (ctx.inThread()) {
            r.run();
        } else {
            ctx.execute(r);
        }
        waitWhile(() -> !result.isDone());
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof BlockIOException bio) {
                throw bio;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new BlockIOException(BlockIOException.Errno.EIO, String.valueOf(c), c);
        }
    }
}
