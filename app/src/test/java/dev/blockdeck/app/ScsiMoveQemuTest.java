package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.BlockStateReader;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;
import dev.blockdeck.app.move.DeviceFacts;
import dev.blockdeck.app.move.Drive;
import dev.blockdeck.app.move.ReplugPlan;
import dev.blockdeck.app.move.ScsiTopology;
import dev.blockdeck.app.session.AttachedSessionLauncher;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.SessionLauncher;
import dev.blockdeck.app.viewmodel.EditViewModel;
import dev.blockdeck.app.viewmodel.GraphViewModel;
import dev.blockdeck.app.viewmodel.MoveViewModel;
import dev.blockdeck.app.viewmodel.NoticeBoard;
import dev.blockdeck.qmp.QmpCommandException;
import javafx.application.Platform;
import dev.blockdeck.qmp.client.QmpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SCSI disks on a real QEMU 7.2: the console places them in their controller's iothread, and the re-plug plan it
 * writes for a refused move is carried out here, step by step, exactly as a user would paste it, and does what it
 * says (the disk ends up on a controller in the target iothread, with its drive, serial and address).
 */
class ScsiMoveQemuTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QemuVm vm;
    private QmpClient client;
    private final LinkedBlockingQueue<String> deleted = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(QemuVm.available(), QemuVm.BINARY + " not found: skipping the SCSI move test against a real QEMU");
        startVm(List.of("-M", "q35", "-S", "-object", "iothread,id=io0", "-object", "iothread,id=io1",
                "-device", "pcie-root-port,id=rp0,chassis=1", "-device", "pcie-root-port,id=rp1,chassis=2",
                "-device", "pcie-root-port,id=rp2,chassis=3",
                "-device", "virtio-scsi-pci,id=scsi0,iothread=io0,bus=rp0",
                "-blockdev", "driver=file,filename=$DIR/d0.qcow2,node-name=f0",
                "-blockdev", "driver=qcow2,file=f0,node-name=q0",
                "-device", "scsi-hd,id=disk0,drive=q0,bus=scsi0.0,scsi-id=1,serial=S0",
                "-drive", "if=none,id=drv1,file=$DIR/d1.qcow2,format=qcow2",
                "-device", "scsi-hd,id=disk1,drive=drv1,bus=scsi0.0,scsi-id=2"));
    }

    private void startVm(List<String> args) throws Exception {
        stop();
        vm = QemuVm.start(List.of(QemuVm.image("d0.qcow2", "64M"), QemuVm.image("d1.qcow2", "64M")), args);
        client = QmpClient.connect(vm.socket()).get(10, TimeUnit.SECONDS);
        client.negotiate().get(10, TimeUnit.SECONDS);
        client.addEventListener(e -> {
            if (e.name().equals("DEVICE_DELETED")) {
                deleted.add(e.data().path("device").asText());
            }
        });
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (vm != null) {
            vm.close();
            vm = null;
        }
    }

    @Test
    void scsiDisksAreShownInTheirControllersIothread() throws Exception {
        BlockState state = read();
        GraphNode disk0 = backendOf(state, "disk0");
        assertThat(disk0.placement()).isEqualTo(Placement.deviceLink("io0", "scsi0"));
        assertThat(state.nodes()).filteredOn(n -> n.name().equals("q0") || n.name().equals("f0"))
                .extracting(GraphNode::placement).containsOnly(Placement.deviceLink("io0", "scsi0"));
        assertThat(backendOf(state, "disk1").placement().iothread()).isEqualTo("io0");
    }

    @Test
    void theRePlugPlanMovesADiskToANewControllerAndBack() throws Exception {
        ReplugPlan plan = plan("disk0", "io1");
        assertThat(plan.hotplug()).isTrue();
        assertThat(plan.steps()).contains("\"driver\":\"virtio-scsi-pci\",\"id\":\"scsi-io1\",\"bus\":\"rp1\","
                + "\"iothread\":\"io1\"", "-device virtio-scsi-pci,id=scsi-io1,iothread=io1");
        carryOut(plan);
        assertThat(qomGet("/machine/peripheral/disk0", "parent_bus").asText()).endsWith("/scsi-io1.0");
        assertThat(qomGet("/machine/peripheral/disk0", "serial").asText()).isEqualTo("S0");
        assertThat(qomGet("/machine/peripheral/disk0", "scsi-id").asInt()).isEqualTo(1);
        assertThat(backendOf(read(), "disk0").placement()).isEqualTo(Placement.deviceLink("io1", "scsi-io1"));

        // back to io0: scsi0 is there, so no controller is added and the address is kept
        ReplugPlan back = plan("disk0", "io0");
        assertThat(back.steps()).doesNotContain("virtio-scsi-pci\",\"id\"").contains("scsi0 is a virtio-scsi-pci");
        carryOut(back);
        assertThat(qomGet("/machine/peripheral/disk0", "parent_bus").asText()).endsWith("/scsi0.0");
        assertThat(backendOf(read(), "disk0").placement()).isEqualTo(Placement.deviceLink("io0", "scsi0"));
    }

    @Test
    void aLegacyDriveIsAddedAgainAndTheMainLoopGetsAControllerWithoutIothread() throws Exception {
        ReplugPlan plan = plan("disk1", null);
        assertThat(plan.steps()).contains("drive_add 0 if=none,id=drv1", "\"id\":\"scsi-main\"")
                .doesNotContain("\"iothread\"");
        carryOut(plan);
        assertThat(qomGet("/machine/peripheral/disk1", "parent_bus").asText()).endsWith("/scsi-main.0");
        assertThat(qomGet("/machine/peripheral/disk1", "drive").asText()).isEqualTo("drv1");
        GraphNode disk1 = backendOf(read(), "disk1");
        assertThat(disk1.placement().mainLoop()).isTrue();
        assertThat(disk1.placement().source()).isEqualTo(Placement.Source.NOT_REPORTED);
    }

    @Test
    void withNoFreeBusOnlyTheCommandLineIsLeft() throws Exception {
        carryOut(plan("disk0", "io1"));     // takes rp1
        carryOut(plan("disk1", null));      // takes rp2
        ReplugPlan plan = plan("disk1", "io0");   // scsi0 is in io0: still live
        assertThat(plan.hotplug()).isTrue();
        vm.execute("object-add", "{\"qom-type\": \"iothread\", \"id\": \"io2\"}");
        ReplugPlan none = plan("disk1", "io2");
        assertThat(none.hotplug()).isFalse();
        assertThat(none.steps()).startsWith("No virtio-scsi-pci controller runs in io2")
                .contains("-device virtio-scsi-pci,id=scsi-io2,iothread=io2", "-device scsi-hd,id=disk1,drive=drv1,"
                        + "bus=scsi-io2.0,scsi-id=2,lun=0");
    }

    @Test
    void onAPcMachineTheNewControllerGoesOnPci0() throws Exception {
        startVm(List.of("-M", "pc", "-S", "-object", "iothread,id=io0", "-object", "iothread,id=io1",
                "-device", "virtio-scsi-pci,id=scsi0,iothread=io0",
                "-blockdev", "driver=file,filename=$DIR/d0.qcow2,node-name=f0",
                "-blockdev", "driver=qcow2,file=f0,node-name=q0", "-device", "scsi-hd,id=disk0,drive=q0,bus=scsi0.0"));
        ReplugPlan plan = plan("disk0", "io1");
        assertThat(plan.steps()).contains("{\"driver\":\"virtio-scsi-pci\",\"id\":\"scsi-io1\",\"iothread\":\"io1\"}");
        carryOut(plan);
        assertThat(qomGet("/machine/peripheral/scsi-io1", "parent_bus").asText()).isEqualTo("/machine/i440fx/pci.0");
        assertThat(backendOf(read(), "disk0").placement()).isEqualTo(Placement.deviceLink("io1", "scsi-io1"));
    }

    /** The console's own path: a drop on another lane, QEMU's refusal, the plan the dialog shows. */
    @Test
    void droppingAScsiDiskOnAnotherLaneOffersTheScsiPlan() throws Exception {
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException alreadyRunning) {
            // another test started it
        }
        ExecutorService layout = Executors.newSingleThreadExecutor();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        client.close(); // a QEMU monitor takes one client at a time: the console's session is this one's
        client = null;
        Session session = new AttachedSessionLauncher(vm.socket()).open(SessionLauncher.Progress.NONE);
        try {
            GraphViewModel graph = new GraphViewModel(layout, Platform::runLater, timers);
            NoticeBoard notices = new NoticeBoard();
            EditViewModel edits = new EditViewModel(notices, Platform::runLater);
            MoveViewModel moves = new MoveViewModel(graph, edits, notices, Platform::runLater);
            onFx(() -> {
                graph.attach(session);
                edits.attach(session);
                moves.attach(session);
                return null;
            });
            String key = until("the graph", () -> graph.layoutProperty().get() == null ? null
                    : backendOf(graph.stateProperty().get(), "disk0").key());
            onFx(() -> {
                moves.drop(key, "io1");
                return null;
            });
            ReplugPlan plan = until("the plan", () -> moves.planProperty().get());
            assertThat(plan.why()).contains("Node q0 is associated with a BlockBackend and could be in use",
                    "it runs in its controller's, scsi0 (io0)");
            assertThat(plan.steps()).contains("\"id\":\"scsi-io1\",\"bus\":\"rp1\"",
                    "\"driver\":\"scsi-hd\",\"id\":\"disk0\",\"drive\":\"q0\",\"bus\":\"scsi-io1.0\",\"scsi-id\":1");
        } finally {
            session.close();
            layout.shutdownNow();
            timers.shutdownNow();
        }
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(read.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    /** Polls {@code read} on the FX thread until it is not null. */
    private static <T> T until(String what, Callable<T> read) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (T value = onFx(read); ; value = onFx(read)) {
            if (value != null) {
                return value;
            }
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    private BlockState read() throws Exception {
        return new BlockStateReader(client::execute).read().get(20, TimeUnit.SECONDS);
    }

    private static GraphNode backendOf(BlockState state, String device) {
        return state.nodes().stream().filter(n -> n.kind() == NodeKind.BACKEND && n.device().equals(device))
                .findFirst().orElseThrow(() -> new AssertionError("no backend for " + device + ": " + state.nodes()));
    }

    /** What the console does on a refused move: ask QEMU, then read the facts and write the plan. */
    private ReplugPlan plan(String device, String target) throws Exception {
        BlockState state = read();
        GraphNode backend = backendOf(state, device);
        Drive drive = Drive.of(state, backend.key()).orElseThrow();
        ObjectNode move = JsonNodeFactory.instance.objectNode().put("node-name", drive.node()).put("force", true);
        if (target == null) {
            move.putNull("iothread");
        } else {
            move.put("iothread", target);
        }
        String refusal;
        try {
            client.execute("x-blockdev-set-iothread", move).get(10, TimeUnit.SECONDS);
            throw new AssertionError("QEMU moved a SCSI disk's node");
        } catch (ExecutionException e) {
            refusal = ((QmpCommandException) e.getCause()).getDesc();
        }
        assertThat(refusal).isEqualTo("Cannot change iothread of active block backend");
        DeviceFacts facts = DeviceFacts.read(client::execute, device).get(10, TimeUnit.SECONDS);
        ScsiTopology scsi = ScsiTopology.read(client::execute).get(10, TimeUnit.SECONDS);
        return ReplugPlan.of(drive, target, refusal, facts, state.detail(backend.key()).orElse(null), scsi);
    }

    /** Pastes the QMP lines of part A in order, waiting for DEVICE_DELETED and retrying as the plan says. */
    private void carryOut(ReplugPlan plan) throws Exception {
        String a = plan.steps().substring(0, plan.steps().indexOf("B. Or change the command line"));
        List<JsonNode> commands = new ArrayList<>();
        for (String line : a.split("\n")) {
            int at = line.indexOf("{\"execute\"");
            if (at >= 0) {
                commands.add(JSON.readTree(line.substring(at)));
            }
        }
        assertThat(commands).isNotEmpty();
        for (JsonNode c : commands) {
            String name = c.path("execute").asText();
            ObjectNode args = (ObjectNode) c.path("arguments");
            JsonNode answer = retryOnConflict(name, args);
            if (name.equals("human-monitor-command")) {
                assertThat(answer.asText().strip()).as("HMP answer to " + args).isEqualTo("OK");
            }
            if (name.equals("device_del")) {
                assertThat(deleted.poll(10, TimeUnit.SECONDS)).isEqualTo(args.path("id").asText());
            }
        }
    }

    private JsonNode retryOnConflict(String name, ObjectNode args) throws Exception {
        for (int attempt = 0; ; attempt++) {
            CompletableFuture<JsonNode> f = client.execute(name, args);
            try {
                return f.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (attempt < 20 && e.getCause() instanceof QmpCommandException q
                        && q.getDesc().startsWith("Permission conflict")) {
                    Thread.sleep(50);
                    continue;
                }
                throw new AssertionError(name + " " + args + " failed", e.getCause());
            }
        }
    }

    private JsonNode qomGet(String path, String property) throws Exception {
        return vm.execute("qom-get", "{\"path\": \"" + path + "\", \"property\": \"" + property + "\"}");
    }
}
