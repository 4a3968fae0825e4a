package dev.blockdeck.engine.aio;

import java.util.function.BooleanSupplier;

/**
 * Waiting in the main loop for something other threads finish (QEMU's AIO_WAIT_WHILE): the main loop
 * keeps running its own I/O meanwhile and holds nothing an IOThread needs, so the wait cannot deadlock.
 * Whoever changes a waited-for condition calls {@link #kick}.
 */
public final class AioWait {
    private final MainContext main;

    public AioWait(MainContext main) {
        this.main = main;
    }

    /** From the main loop: returns once {@code condition} is false. */
    public void waitWhile(BooleanSupplier condition) {
        main.context().pollWhile(condition);
    }

    /** Wakes a main-loop wait so that it re-checks its condition. */
    public void kick() {
        main.context().kick();
    }
}
