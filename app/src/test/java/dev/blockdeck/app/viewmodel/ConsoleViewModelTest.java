package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.session.EmbeddedSessionLauncher;
import dev.blockdeck.app.session.Scenario;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.SessionLauncher;
import dev.blockdeck.app.session.VmStatus;
import dev.blockdeck.engine.EngineVersion;
import dev.blockdeck.qmp.QmpCommandException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's ViewModel without a screen: properties are plain JavaFX beans, no toolkit needed. */
class ConsoleViewModelTest {

    private static final Executor DIRECT = Runnable::run;

    /** Runs "background" work when the test says so, to see the in-between states. */
    private static final class ManualExecutor implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    private static SessionLauncher launcher(Session session) {
        return new SessionLauncher() {
            @Override
            public String description() {
                return "Fake launcher";
            }

            @Override
            public Session open(Progress progress) {
                progress.socket(Path.of("/tmp/fake/qmp.sock"));
                progress.step("Pretending…");
                return session;
            }
        };
    }

    @Test
    void connectingThenConnected() {
        FakeSession session = new FakeSession();
        ManualExecutor background = new ManualExecutor();
        ConsoleViewModel vm = new ConsoleViewModel(launcher(session), background, DIRECT);
        assertThat(vm.sessionDescriptionProperty().get()).isEqualTo("Fake launcher");

        vm.connect();
        assertThat(vm.connectionStateProperty().get()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(vm.connectionStateTextProperty().get()).isEqualTo("Connecting…");
        assertThat(vm.qemuVersionProperty().get()).isEqualTo("—");
        assertThat(background.tasks).hasSize(1);

        background.runAll();
        assertThat(vm.connectionStateProperty().get()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(vm.connectionStateTextProperty().get()).isEqualTo("Connected");
        assertThat(vm.errorTextProperty().get()).isEmpty();
        assertThat(vm.socketPathProperty().get()).isEqualTo("/tmp/fake/qmp.sock");
        assertThat(vm.qemuVersionProperty().get()).isEqualTo("QEMU 7.2.22 (fake-pkg)");
        assertThat(vm.vmNameProperty().get()).isEqualTo("fake-vm");
        assertThat(vm.runStateProperty().get()).isEqualTo("running");
        assertThat(vm.statusMessageProperty().get()).contains("fake-vm", "/tmp/fake/qmp.sock");
    }

    @Test
    void aFailedLaunchShowsTheError() {
        SessionLauncher failing = new SessionLauncher() {
            @Override
            public String description() {
                return "Broken";
            }

            @Override
            public Session open(Progress progress) throws Exception {
                progress.socket(Path.of("/tmp/x/qmp.sock"));
                throw new CompletionException(new java.io.IOException("Connection refused"));
            }
        };
        ConsoleViewModel vm = new ConsoleViewModel(failing, DIRECT, DIRECT);
        vm.connect();
        assertThat(vm.connectionStateProperty().get()).isEqualTo(ConnectionState.FAILED);
        assertThat(vm.connectionStateTextProperty().get()).isEqualTo("Failed");
        assertThat(vm.errorTextProperty().get()).isEqualTo("Connection refused");
        assertThat(vm.socketPathProperty().get()).isEqualTo("/tmp/x/qmp.sock");
        assertThat(vm.statusMessageProperty().get()).isEqualTo("Connection failed: Connection refused");
    }

    @Test
    void unnamedVmAndFailedQuery() {
        FakeSession session = new FakeSession();
        session.name = java.util.Optional.empty();
        session.statusError = new QmpCommandException("CommandNotFound", "The command query-status has not been found");
        ConsoleViewModel vm = new ConsoleViewModel(launcher(session), DIRECT, DIRECT);
        vm.connect();
        assertThat(vm.vmNameProperty().get()).isEqualTo("(unnamed)");
        assertThat(vm.runStateProperty().get()).isEqualTo("unavailable (CommandNotFound)");
    }

    @Test
    void runStateFollowsEvents() {
        FakeSession session = new FakeSession();
        ConsoleViewModel vm = new ConsoleViewModel(launcher(session), DIRECT, DIRECT);
        vm.connect();
        session.status = new VmStatus("paused", false);
        session.emit("BLOCK_JOB_READY");
        assertThat(vm.runStateProperty().get()).isEqualTo("running");
        session.emit("STOP");
        assertThat(vm.runStateProperty().get()).isEqualTo("paused");
    }

    @Test
    void peerClosingTheConnectionShowsDisconnected() {
        FakeSession session = new FakeSession();
        ConsoleViewModel vm = new ConsoleViewModel(launcher(session), DIRECT, DIRECT);
        vm.connect();
        session.closed.complete(null);
        assertThat(vm.connectionStateProperty().get()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(vm.runStateProperty().get()).isEqualTo("—");
    }

    @Test
    void shutdownClosesTheSessionOnceAndKeepsTheLastState() {
        FakeSession session = new FakeSession();
        ConsoleViewModel vm = new ConsoleViewModel(launcher(session), DIRECT, DIRECT);
        vm.connect();
        vm.shutdown();
        vm.shutdown();
        assertThat(session.closeCalls).isEqualTo(1);
        assertThat(vm.connectionStateProperty().get()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void shutdownBeforeTheLaunchFinishedClosesWhatItOpens() {
        FakeSession session = new FakeSession();
        ManualExecutor background = new ManualExecutor();
        ConsoleViewModel vm = new ConsoleViewModel(launcher(session), background, DIRECT);
        vm.connect();
        vm.shutdown();
        background.runAll();
        assertThat(session.closeCalls).isEqualTo(1);
        assertThat(vm.connectionStateProperty().get()).isEqualTo(ConnectionState.CONNECTING);
    }

    /** The real embedded engine, still no screen: the background work happens off the calling thread. */
    @Test
    void realEngineOnTheDemoScenario() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        LinkedBlockingQueue<Runnable> fxQueue = new LinkedBlockingQueue<>();
        ConsoleViewModel vm = new ConsoleViewModel(new EmbeddedSessionLauncher(Scenario.load("demo")),
                background, fxQueue::add);
        try {
            vm.connect();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"running".equals(vm.runStateProperty().get())
                    && vm.connectionStateProperty().get() != ConnectionState.FAILED && System.nanoTime() < deadline) {
                Runnable r = fxQueue.poll(100, TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
            }
            assertThat(vm.errorTextProperty().get()).isEmpty();
            assertThat(vm.connectionStateProperty().get()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(vm.qemuVersionProperty().get()).isEqualTo("QEMU " + EngineVersion.MAJOR + "."
                    + EngineVersion.MINOR + "." + EngineVersion.MICRO + " (" + EngineVersion.PACKAGE + ")");
            assertThat(vm.runStateProperty().get()).isEqualTo("running");
            assertThat(Path.of(vm.socketPathProperty().get())).exists();
        } finally {
            vm.shutdown();
            background.shutdownNow();
        }
        assertThat(Path.of(vm.socketPathProperty().get())).doesNotExist();
    }
}
