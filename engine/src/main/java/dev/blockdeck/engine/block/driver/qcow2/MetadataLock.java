package dev.blockdeck.engine.block.driver.qcow2;

import java.util.ArrayDeque;

/**
 * One qcow2 node's metadata lock (QEMU's {@code s->lock}): whoever holds it may touch the image's tables and
 * caches, nobody else. Handed out in arrival order. Lives on the node's context thread: acquired and released
 * there only, so it needs no synchronisation; a holder that runs work elsewhere (a blocking job on the node's
 * worker) keeps it until its completion is back on the context thread.
 */
final class MetadataLock {
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();
    private boolean held;
    private boolean dispatching;

    /**
     * Runs {@code task} holding the lock, now if nobody holds it or waits for it, else after those before it.
     * The task must call {@link #release} exactly once, before returning or later.
     */
    void acquire(Runnable task) {
        if (held || !waiters.isEmpty()) {
            waiters.add(task);
            return;
        }
        held = true;
        task.run();
    }

    /** Gives the lock to the next waiter. Waiters that release at once are run in a loop, not recursively. */
    void release() {
        if (!held) {
            throw new IllegalStateException("qcow2 metadata lock released but not held");
        }
        held = false;
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            while (!held && !waiters.isEmpty()) {
                held = true;
                waiters.poll().run();
            }
        } finally {
            dispatching = false;
        }
    }

    boolean isHeld() {
        return held;
    }

    int waiting() {
        return waiters.size();
    }
}
