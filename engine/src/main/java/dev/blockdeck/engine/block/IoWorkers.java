package dev.blockdeck.engine.block;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker pool for blocking I/O (QEMU's thread pool, {@code aio=threads}): positional file reads and writes,
 * syncs, stats. Drivers submit work here and complete the request on the node's context thread afterwards.
 * One pool per graph, up to 64 threads (QEMU's thread-pool-max default); idle threads exit.
 */
public final class IoWorkers {
    private final ThreadPoolExecutor pool;

    public IoWorkers() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "block-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(64, 64, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), tf);
        pool.allowCoreThreadTimeOut(true);
    }

    public void submit(Runnable work) {
        pool.execute(work);
    }

    public void shutdown() {
        pool.shutdown();
    }
}
