package dev.blockdeck.engine.block;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one node's blocking format work (qcow2 metadata and data mapping) one job at a time, off the node's
 * context thread: the job waits for child requests that complete on that thread, so it must not run there.
 * The threads come from a pool of their own, apart from {@link IoWorkers}, so that jobs waiting for file I/O
 * can never use up the threads that file I/O needs.
 */
public final class SerialWorker {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "block-format-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    /** Queues {@code job}; jobs run in submission order, never two at once. */
    public void submit(Runnable job) {
        synchronized (queue) {
            queue.add(job);
            if (running) {
                return;
            }
            running = true;
        }
        POOL.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // a job reports its own failure through its future; nothing may stop the queue
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }
}
