package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.io.DriveContexts;
import dev.blockdeck.app.io.GuestWorkloadCommands;
import dev.blockdeck.app.io.IoHistory;
import dev.blockdeck.app.io.IoLines;
import dev.blockdeck.app.io.IoRate;
import dev.blockdeck.app.io.WorkloadInfo;
import dev.blockdeck.app.io.WorkloadSpec;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.IoThreadInfo;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;
import dev.blockdeck.qmp.QmpCommandException;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The I/O tab without a screen: a fake session that answers query-blockstats from counters the test moves, and a
 * fake clock, so every rate is exact; the guest workload commands as the engine answers them, or missing as on
 * QEMU.
 */
class IoViewModelTest {

    private static final long SECOND = 1_000_000_000L;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final FakeSession session = new FakeSession();
    private final AtomicLong clock = new AtomicLong(5 * SECOND);
    private final SimpleObjectProperty<BlockState> graph = new SimpleObjectProperty<>(BlockState.EMPTY);
    /** drive label → {rd_operations, wr_operations, rd_bytes, wr_bytes} */
    private final Map<String, long[]> counters = new LinkedHashMap<>();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<JsonNode> startArgs = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> engineWorkloads = new LinkedHashMap<>();
    private volatile boolean engine = true;
    private volatile CompletableFuture<JsonNode> heldStats;
    private ScheduledExecutorService ticker;
    private IoViewModel vm;

    @BeforeEach
    void setUp() {
        counters.put("vblk0", new long[4]);
        counters.put("vblk1", new long[4]);
        session.commands = (command, args) -> {
            sent.add(command);
            return switch (command) {
                case "query-commands" -> CompletableFuture.completedFuture(commands());
                case "query-blockstats" -> heldStats != null ? heldStats : CompletableFuture.completedFuture(blockstats());
                case GuestWorkloadCommands.START -> start(args);
                case GuestWorkloadCommands.QUERY -> {
                    ArrayNode list = JSON.arrayNode();
                    engineWorkloads.values().forEach(list::add);
                    yield CompletableFuture.completedFuture(list);
                }
                case GuestWorkloadCommands.STOP -> {
                    ObjectNode w = engineWorkloads.remove(args.path("id").asText());
                    yield w == null ? CompletableFuture.failedFuture(new QmpCommandException("GenericError",
                            "Guest workload '" + args.path("id").asText() + "' not found"))
                            : CompletableFuture.completedFuture(w.put("running", false));
                }
                default -> CompletableFuture.failedFuture(new QmpCommandException("CommandNotFound",
                        "The command " + command + " has not been found"));
            };
        };
        vm = new IoViewModel(graph, Runnable::run, null, clock::get);
    }

    @AfterEach
    void tearDown() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    private JsonNode commands() {
        ArrayNode list = JSON.arrayNode();
        for (String c : engine ? List.of("query-blockstats", GuestWorkloadCommands.START, GuestWorkloadCommands.STOP,
                GuestWorkloadCommands.QUERY) : List.of("query-blockstats", "query-block", "x-blockdev-set-iothread")) {
            list.addObject().put("name", c);
        }
        return list;
    }

    /** As QEMU answers: drives named by backend, their device in qdev. */
    private JsonNode blockstats() {
        ArrayNode list = JSON.arrayNode();
        int i = 0;
        for (var e : counters.entrySet()) {
            long[] c = e.getValue();
            ObjectNode entry = list.addObject();
            entry.put("device", "drive" + i).put("node-name", "#block" + i++)
                    .put("qdev", "/machine/peripheral/" + e.getKey() + "/virtio-backend");
            entry.putObject("stats").put("rd_operations", c[0]).put("wr_operations", c[1]).put("rd_bytes", c[2])
                    .put("wr_bytes", c[3]).put("flush_operations", 0);
        }
        return list;
    }

    private CompletableFuture<JsonNode> start(ObjectNode args) {
        startArgs.add(args);
        String id = args.path("id").asText();
        if (engineWorkloads.containsKey(id)) {
            return CompletableFuture.failedFuture(new QmpCommandException("GenericError",
                    "Guest workload '" + id + "' already exists"));
        }
        ObjectNode w = JSON.objectNode().put("id", id);
        w.set("drives", args.get("drives"));
        w.put("ops", 0).put("reads", 0).put("writes", 0).put("errors", 0).put("verify-failures", 0)
                .put("bytes-read", 0).put("bytes-written", 0).put("running", true);
        engineWorkloads.put(id, w);
        return CompletableFuture.completedFuture(JSON.objectNode());
    }

    /** One second later, each drive did {@code reads}/{@code writes} more requests of 4 KiB. */
    private void advance(long nanos, String drive, long reads, long writes) {
        long[] c = counters.get(drive);
        c[0] += reads;
        c[1] += writes;
        c[2] += reads * 4096;
        c[3] += writes * 4096;
        clock.addAndGet(nanos);
    }

    private static IoHistory.Series series(List<IoHistory.Series> all, String name) {
        return all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " in " + all));
    }

    @Test
    void ratesAreCounterDeltasOverTheTimeBetweenAnswers() {
        vm.attach(session);
        vm.poll();
        assertThat(vm.seriesProperty().get()).as("one sample is no rate").isEmpty();
        assertThat(vm.statusProperty().get()).contains("2 drives", "first sample");
        assertThat(vm.drives()).containsExactly("vblk0", "vblk1");

        advance(SECOND / 2, "vblk0", 100, 300);
        vm.poll();
        List<IoHistory.Series> s = vm.seriesProperty().get();
        assertThat(s).extracting(IoHistory.Series::name).containsExactly("vblk0", "vblk1");
        assertThat(series(s, "vblk0").latest()).isEqualTo(new IoRate(200, 600, 200 * 4096, 600 * 4096));
        assertThat(series(s, "vblk1").latest()).isEqualTo(IoRate.ZERO);

        advance(2 * SECOND, "vblk1", 0, 1000);
        vm.poll();
        IoHistory.Series vblk1 = series(vm.seriesProperty().get(), "vblk1");
        // steps: each interval's average from where it starts to where it ends
        assertThat(vblk1.points()).extracting(IoHistory.Point::secondsAgo).containsExactly(-2.5, -2.0, -2.0, 0.0);
        assertThat(vblk1.latest()).isEqualTo(new IoRate(0, 500, 0, 500 * 4096));
        assertThat(vm.statusProperty().get()).isEqualTo("query-blockstats once a second · 2 drives");
    }

    @Test
    void perIothreadIsTheSumOverTheDrivesInEachContext() {
        Placement io0 = Placement.reported("iothread0");
        graph.set(new BlockState(List.of(
                node("node:#block0", io0), node("node:#block1", io0)), List.of(),
                List.of(new IoThreadInfo("iothread0", 1, 0), new IoThreadInfo("iothread1", 2, 0)), List.of(), null));
        vm.attach(session);
        vm.poll();
        advance(SECOND, "vblk0", 10, 20);
        advance(0, "vblk1", 1, 2);
        vm.poll();
        vm.groupingProperty().set(IoViewModel.Grouping.IOTHREAD);

        List<IoHistory.Series> s = vm.seriesProperty().get();
        assertThat(s).extracting(IoHistory.Series::name).containsExactly(DriveContexts.MAIN_LOOP, "iothread0", "iothread1");
        assertThat(series(s, "iothread0").latest()).isEqualTo(new IoRate(11, 22, 11 * 4096, 22 * 4096));
        assertThat(series(s, "iothread1").latest()).isEqualTo(IoRate.ZERO);
        assertThat(series(s, DriveContexts.MAIN_LOOP).latest()).isEqualTo(IoRate.ZERO);
        assertThat(vm.contextsAssumedProperty().get()).isFalse();
        assertThat(vm.datalessDrives()).as("both drives end in null-co nodes").containsExactly("vblk0", "vblk1");

        vm.groupingProperty().set(IoViewModel.Grouping.DRIVE);
        assertThat(vm.seriesProperty().get()).extracting(IoHistory.Series::name).containsExactly("vblk0", "vblk1");
    }

    @Test
    void theChartsDrawReadsAboveZeroAndWritesBelowItPerDriveAndPerIothread() {
        Placement io0 = Placement.reported("iothread0");
        graph.set(new BlockState(List.of(
                node("node:#block0", io0), node("node:#block1", io0)), List.of(),
                List.of(new IoThreadInfo("iothread0", 1, 0)), List.of(), null));
        vm.attach(session);
        vm.poll();
        assertThat(vm.chartsProperty().get()).isEqualTo(IoLines.Charts.EMPTY);
        advance(SECOND, "vblk0", 100, 300);
        advance(0, "vblk1", 0, 50);
        vm.poll();

        IoLines.Charts c = vm.chartsProperty().get();
        assertThat(c.iops()).extracting(IoLines.Line::name)
                .containsExactly("vblk0 read", "vblk0 write", "vblk1 read", "vblk1 write");
        assertThat(c.throughput()).extracting(IoLines.Line::name)
                .containsExactly("vblk0 read", "vblk0 write", "vblk1 read", "vblk1 write");
        assertThat(c.legend()).containsExactly(new IoLines.Key("vblk0", 0), new IoLines.Key("vblk1", 1));
        assertThat(line(c.iops(), "vblk0 read").points()).extracting(IoLines.Point::value).containsOnly(100.0);
        assertThat(line(c.iops(), "vblk0 write").points()).extracting(IoLines.Point::value).containsOnly(-300.0);
        assertThat(line(c.iops(), "vblk0 write").colour()).isEqualTo(0);
        assertThat(line(c.iops(), "vblk1 read").points()).extracting(IoLines.Point::value)
                .as("idle: on the zero line, not below it").containsOnly(0.0);
        assertThat(line(c.throughput(), "vblk0 write").points()).extracting(IoLines.Point::value)
                .containsOnly(-300 * 4096 / (1024.0 * 1024));
        assertThat(line(c.throughput(), "vblk1 write").points()).extracting(IoLines.Point::value)
                .containsOnly(-50 * 4096 / (1024.0 * 1024));

        vm.groupingProperty().set(IoViewModel.Grouping.IOTHREAD);
        c = vm.chartsProperty().get();
        assertThat(c.legend()).extracting(IoLines.Key::series).containsExactly(DriveContexts.MAIN_LOOP, "iothread0");
        assertThat(line(c.iops(), "iothread0 read").points()).extracting(IoLines.Point::value).containsOnly(100.0);
        assertThat(line(c.iops(), "iothread0 write").points()).extracting(IoLines.Point::value).containsOnly(-350.0);
        assertThat(line(c.iops(), DriveContexts.MAIN_LOOP + " write").direction()).isEqualTo(IoLines.Direction.WRITE);
    }

    private static IoLines.Line line(List<IoLines.Line> lines, String name) {
        return lines.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " in " + lines));
    }

    private static GraphNode node(String key, Placement p) {
        return new GraphNode(key, NodeKind.PROTOCOL, key.substring(5), "null-co", "", -1, false, 0, "", null, p);
    }

    @Test
    void oneQueryInFlightAtATimeAndAFailureIsShown() {
        vm.attach(session);
        heldStats = new CompletableFuture<>();
        vm.poll();
        vm.poll();
        assertThat(sent.stream().filter("query-blockstats"::equals)).hasSize(1);
        heldStats.completeExceptionally(new QmpCommandException("GenericError", "no"));
        assertThat(vm.statusProperty().get()).isEqualTo("query-blockstats failed: GenericError: no");
        heldStats = null;
        vm.poll();
        assertThat(sent.stream().filter("query-blockstats"::equals)).hasSize(2);
    }

    @Test
    void pollsOnceASecondOnlyWhileShown() throws Exception {
        ticker = Executors.newSingleThreadScheduledExecutor();
        vm = new IoViewModel(graph, Runnable::run, ticker, clock::get);
        vm.attach(session);
        Thread.sleep(300);
        assertThat(sent).doesNotContain("query-blockstats");
        vm.setActive(true);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sent.stream().filter("query-blockstats"::equals).count() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        vm.setActive(false);
        long polls = sent.stream().filter("query-blockstats"::equals).count();
        assertThat(polls).isGreaterThanOrEqualTo(2);
        Thread.sleep(1300);
        assertThat(sent.stream().filter("query-blockstats"::equals).count()).isEqualTo(polls);
    }

    @Test
    void workloadsStartShowTheirCountersAndStopWithTheirFinalOnes() {
        vm.attach(session);
        WorkloadsViewModel w = vm.workloads();
        assertThat(w.availableProperty().get()).isTrue();
        assertThat(w.unavailableProperty().get()).isEmpty();
        assertThat(w.nextId()).isEqualTo("w1");

        WorkloadSpec spec = new WorkloadSpec("w1", List.of("vblk0", "vblk1"), "random", 8192, 8, 30, 1000, false, 1);
        assertThat(w.start(spec).join()).isTrue();
        assertThat(startArgs).hasSize(1);
        assertThat(startArgs.get(0)).isEqualTo(spec.arguments());
        assertThat(w.workloads()).extracting(WorkloadInfo::id).containsExactly("w1");
        assertThat(w.isRunning("w1")).isTrue();
        assertThat(w.nextId()).isEqualTo("w2");
        assertThat(w.messageProperty().get()).isEqualTo("Started w1 on vblk0, vblk1.");

        // the engine's counters arrive with the next poll
        engineWorkloads.get("w1").put("ops", 900).put("reads", 300).put("writes", 600).put("verify-failures", 2);
        vm.poll();
        WorkloadInfo now = w.workloads().get(0);
        assertThat(now.ops()).isEqualTo(900);
        assertThat(now.verified()).isEqualTo(298);
        assertThat(now.verifyFailures()).isEqualTo(2);

        // a second start under the same id: the engine's refusal is shown
        assertThat(w.start(spec).join()).isFalse();
        assertThat(w.messageProperty().get()).isEqualTo("Start failed: GenericError: Guest workload 'w1' already exists");
        assertThat(w.messageIsErrorProperty().get()).isTrue();

        engineWorkloads.get("w1").put("ops", 1000).put("reads", 400);
        w.stop("w1");
        WorkloadInfo last = w.workloads().get(0);
        assertThat(last.running()).isFalse();
        assertThat(last.ops()).isEqualTo(1000);
        assertThat(w.messageProperty().get()).isEqualTo(
                "Stopped w1: 1000 requests, 398 reads verified, 2 failed verification, 0 errors.");
        assertThat(w.messageIsErrorProperty().get()).as("failed verifications are worth a red line").isTrue();

        // gone from the engine, kept here with its final counters until cleared
        vm.poll();
        assertThat(w.workloads()).containsExactly(last);
        w.clearStopped();
        assertThat(w.workloads()).isEmpty();
    }

    @Test
    void aWorkloadStoppedElsewhereStopsHereToo() {
        vm.attach(session);
        WorkloadsViewModel w = vm.workloads();
        w.start(new WorkloadSpec("w1", List.of("vblk0"), "sequential", 4096, 1, 50, 0, false, 1)).join();
        engineWorkloads.clear(); // e.g. stopped from the QMP console
        vm.poll();
        assertThat(w.workloads()).hasSize(1);
        assertThat(w.workloads().get(0).running()).isFalse();
        assertThat(w.isRunning("w1")).isFalse();
    }

    @Test
    void anInvalidSpecIsNotSent() {
        vm.attach(session);
        WorkloadsViewModel w = vm.workloads();
        assertThat(w.start(new WorkloadSpec("", List.of(), "sequential", 4096, 1, 50, 0, false, 1)).join()).isFalse();
        assertThat(startArgs).isEmpty();
        assertThat(w.messageProperty().get()).isEqualTo("Give the workload an id. Choose at least one drive.");
    }

    @Test
    void onQemuTheWorkloadsAreUnavailableAndSaySo() {
        engine = false;
        vm.attach(session);
        WorkloadsViewModel w = vm.workloads();
        assertThat(w.availableProperty().get()).isFalse();
        assertThat(w.unavailableProperty().get()).isEqualTo("This VM has no guest workloads: "
                + GuestWorkloadCommands.START + " is not in its query-commands (QEMU has none)."
                + " They run on BlockDeck's embedded engine.");
        assertThat(w.start(new WorkloadSpec("w1", List.of("vblk0"), "sequential", 4096, 1, 50, 0, false, 1)).join()).isFalse();
        vm.poll();
        assertThat(sent).doesNotContain(GuestWorkloadCommands.START, GuestWorkloadCommands.QUERY);
        // the charts work all the same
        assertThat(vm.drives()).containsExactly("vblk0", "vblk1");
    }

    @Test
    void detachingStopsEverythingAndANewSessionStartsAfresh() {
        vm.attach(session);
        vm.poll();
        advance(SECOND, "vblk0", 1, 1);
        vm.poll();
        vm.workloads().start(new WorkloadSpec("w1", List.of("vblk0"), "sequential", 4096, 1, 50, 0, false, 1)).join();
        vm.detach("The monitor connection closed.");
        assertThat(vm.statusProperty().get()).isEqualTo("The monitor connection closed.");
        assertThat(vm.workloads().availableProperty().get()).isFalse();
        assertThat(vm.workloads().workloads()).allMatch(x -> !x.running());
        int before = sent.size();
        vm.poll();
        assertThat(sent).hasSize(before);

        FakeSession next = new FakeSession();
        next.commands = session.commands;
        engineWorkloads.clear(); // a new engine
        vm.attach(next);
        assertThat(vm.seriesProperty().get()).isEmpty();
        assertThat(vm.workloads().workloads()).isEmpty();
    }
}
