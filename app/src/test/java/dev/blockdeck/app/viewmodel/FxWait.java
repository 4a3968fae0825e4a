package dev.blockdeck.app.viewmodel;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** For ViewModel tests on the FX thread without a window: the toolkit started once, reads and waits there. */
final class FxWait {

    private FxWait() {
    }

    static void toolkit() {
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException alreadyRunning) {
            // another test started it
        }
    }

    static <T> T fx(Callable<T> read) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(read.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    static void run(Runnable action) throws Exception {
        fx(() -> {
            action.run();
            return null;
        });
    }

    static void await(String what, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!fx(condition::getAsBoolean)) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }
}
