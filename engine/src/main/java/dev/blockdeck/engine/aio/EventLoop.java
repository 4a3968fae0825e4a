package dev.blockdeck.engine.aio;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One event-loop thread: the main loop or an IOThread. It runs I/O tasks (completions, request
 * dispatch) and, on the main loop only, QMP commands. A command may wait for I/O with
 * {@link #pollWhile}: the loop then keeps running I/O tasks, but never another command, so commands
 * stay one at a time (QEMU's nested aio_poll, without its recursive lock).
 */
final class EventLoop {
    private static final Logger LOG = Logger.getLogger(EventLoop.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Runnable> ioTasks = new ArrayDeque<>();
    private final ArrayDeque<Runnable> commands = new ArrayDeque<>();
    private final Thread thread;
    private volatile long nativeThreadId = -1;
    private boolean stopping;

    EventLoop(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean inThread() {
        return Thread.currentThread() == thread;
    }

    Thread thread() {
        return thread;
    }

    /** The Linux thread id (what QEMU reports as {@code thread-id}), once the thread runs. */
    long nativeThreadId() {
        return nativeThreadId;
    }

    void executeIo(Runnable task) {
        enqueue(ioTasks, task);
    }

    void executeCommand(Runnable task) {
        enqueue(commands, task);
    }

    private void enqueue(ArrayDeque<Runnable> q, Runnable task) {
        lock.lock();
        try {
            if (stopping) {
                throw new IllegalStateException(thread.getName() + " is stopped");
            }
            q.add(task);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the loop so that a {@link #pollWhile} re-checks its condition. */
    void kick() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * From this loop's own thread: runs I/O tasks until {@code condition} is false. Whoever makes the
     * condition false from another thread must {@link #kick} (AioWait does that for completions).
     */
    void pollWhile(BooleanSupplier condition) {
        if (!inThread()) {
            throw new IllegalStateException("pollWhile outside " + thread.getName());
        }
        while (condition.getAsBoolean()) {
            Runnable task = next(false, 10);
            if (task != null) {
                runSafely(task);
            }
        }
    }

    /** Stops after the queued tasks; returns once the thread has ended. */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!inThread()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        nativeThreadId = NativeThreadId.current();
        while (true) {
            Runnable task = next(true, -1);
            if (task == null) {
                return;
            }
            runSafely(task);
        }
    }

    /** The next task; commands only when allowed. Null on stop (or, with a timeout, when none came). */
    private Runnable next(boolean allowCommands, long timeoutMs) {
        lock.lock();
        try {
            while (true) {
                Runnable t = ioTasks.poll();
                if (t == null && allowCommands) {
                    t = commands.poll();
                }
                if (t != null) {
                    return t;
                }
                if (stopping) {
                    return null;
                }
                if (timeoutMs < 0) {
                    changed.awaitUninterruptibly();
                } else {
                    try {
                        changed.await(timeoutMs, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // an event loop must survive a failing callback, as QEMU's would not: log loudly instead
            LOG.log(Level.SEVERE, thread.getName() + ": task failed", e);
        }
    }
}
