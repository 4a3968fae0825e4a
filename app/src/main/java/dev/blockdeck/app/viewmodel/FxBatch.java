package dev.blockdeck.app.viewmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Collects items from any thread and hands them to {@code sink} on the FX executor in batches: a burst of
 * QMP traffic costs one FX task, not one per message, and the order is kept.
 */
final class FxBatch<T> {

    private final Executor fx;
    private final Consumer<List<T>> sink;
    private final Object lock = new Object();
    private List<T> pending = new ArrayList<>();
    private boolean scheduled;

    FxBatch(Executor fx, Consumer<List<T>> sink) {
        this.fx = fx;
        this.sink = sink;
    }

    void add(T item) {
        synchronized (lock) {
            pending.add(item);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        fx.execute(this::drain);
    }

    private void drain() {
        List<T> batch;
        synchronized (lock) {
            batch = pending;
            pending = new ArrayList<>();
            scheduled = false;
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }
}
