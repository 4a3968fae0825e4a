package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The mirror's refresh rules: one read in flight, events debounced, nothing after close. */
class VmModelTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Holds query-named-block-nodes answers until the test releases them. */
    private static final class Gate implements QmpCommands {
        final Recording recording = Recording.load("chains");
        final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
            CompletableFuture<JsonNode> answer = recording.execute(command, arguments);
            if (!command.equals("query-named-block-nodes")) {
                return answer;
            }
            CompletableFuture<Void> gate = new CompletableFuture<>();
            held.add(gate);
            return gate.thenCompose(v -> answer);
        }

        void releaseAll() {
            held.forEach(g -> g.complete(null));
        }
    }

    @Test
    void refreshPublishesTheStateToListeners() {
        Recording r = Recording.load("chains");
        VmModel model = new VmModel(r, scheduler, 10, 100);
        List<BlockState> seen = new CopyOnWriteArrayList<>();
        model.addListener(seen::add);

        BlockState s = model.refresh().join();
        assertThat(s.blockNodes()).hasSize(13);
        assertThat(seen).containsExactly(s);
        assertThat(model.current()).isSameAs(s);
    }

    @Test
    void refreshesDuringAReadCollapseIntoOneMoreRead() {
        Gate gate = new Gate();
        VmModel model = new VmModel(gate, scheduler, 10, 100);
        CompletableFuture<BlockState> first = model.refresh();
        CompletableFuture<BlockState> second = model.refresh();
        CompletableFuture<BlockState> third = model.refresh();
        assertThat(second).isSameAs(third);
        assertThat(gate.recording.count("query-named-block-nodes")).isEqualTo(1);

        gate.releaseAll();
        first.join();
        gate.releaseAll();
        second.join();
        assertThat(gate.recording.count("query-named-block-nodes")).isEqualTo(2);
    }

    @Test
    void aBurstOfEventsCostsOneRead() throws Exception {
        Recording r = Recording.load("chains");
        VmModel model = new VmModel(r, scheduler, 80, 5000);
        CompletableFuture<BlockState> published = new CompletableFuture<>();
        model.addListener(published::complete);
        for (int i = 0; i < 20; i++) {
            model.onEvent("JOB_STATUS_CHANGE");
        }
        published.get(5, TimeUnit.SECONDS);
        Thread.sleep(300);
        assertThat(r.count("query-named-block-nodes")).isEqualTo(1);
    }

    @Test
    void eventsThatNeverStopStillReadWithinTheMaximumDelay() throws Exception {
        Recording r = Recording.load("chains");
        VmModel model = new VmModel(r, scheduler, 200, 300);
        long start = System.nanoTime();
        while (r.count("query-named-block-nodes") == 0) {
            model.onEvent("BLOCK_JOB_PENDING");
            Thread.sleep(20);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
        }
    }

    @Test
    void afterCloseNothingIsPublished() throws Exception {
        Gate gate = new Gate();
        VmModel model = new VmModel(gate, scheduler, 10, 100);
        List<BlockState> seen = new CopyOnWriteArrayList<>();
        model.addListener(seen::add);
        CompletableFuture<BlockState> inFlight = model.refresh();
        model.close();
        gate.releaseAll();
        inFlight.get(5, TimeUnit.SECONDS);
        model.onEvent("STOP");
        Thread.sleep(100);
        assertThat(seen).isEmpty();
        assertThat(model.current()).isSameAs(BlockState.EMPTY);
        assertThat(gate.recording.count("query-named-block-nodes")).isEqualTo(1);
    }

    @Test
    void aLostConnectionBecomesAnUnavailableState() {
        QmpCommands closed = (c, a) -> CompletableFuture.failedFuture(new IllegalStateException("QMP connection is closed"));
        BlockState s = new VmModel(closed, scheduler, 10, 100).refresh().join();
        assertThat(s.isAvailable()).isFalse();
        assertThat(s.unavailable()).contains("QMP connection is closed");
    }
}
