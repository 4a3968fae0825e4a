package dev.blockdeck.app;

import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.SessionLauncher;
import dev.blockdeck.app.settings.RecentConnection;
import dev.blockdeck.app.view.ConsoleController;
import dev.blockdeck.app.viewmodel.ConnectionState;
import dev.blockdeck.app.viewmodel.ConsoleViewModel;
import dev.blockdeck.app.viewmodel.GraphViewModel;
import dev.blockdeck.app.viewmodel.IoViewModel;
import dev.blockdeck.app.viewmodel.SettingsViewModel;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * One session's console: the window's view tree ({@code ConsoleView.fxml}), its ViewModels and the threads they
 * use. The window keeps its stage and swaps this whole when the user reconnects to a recent session.
 */
final class ConsoleSession {

    final Parent root;
    final ConsoleController controller;
    final ConsoleViewModel viewModel;
    final SessionLauncher launcher;
    private final ExecutorService background;
    private final ExecutorService layout;
    private final ScheduledExecutorService timers;

    private ConsoleSession(Parent root, ConsoleController controller, ConsoleViewModel viewModel,
                           SessionLauncher launcher, ExecutorService background, ExecutorService layout,
                           ScheduledExecutorService timers) {
        this.root = root;
        this.controller = controller;
        this.viewModel = viewModel;
        this.launcher = launcher;
        this.background = background;
        this.layout = layout;
        this.timers = timers;
    }

    /** Loads the view and binds it; nothing is opened until {@link #connect()}. FX thread. */
    static ConsoleSession load(AppOptions options, SettingsViewModel settings, String version) throws IOException {
        FXMLLoader loader = new FXMLLoader(MainApp.class.getResource("view/ConsoleView.fxml"));
        Parent root = loader.load();
        ConsoleController controller = loader.getController();

        SessionLauncher launcher;
        try {
            launcher = options.launcher();
        } catch (IOException | RuntimeException e) {
            launcher = failing(e);
        }
        ExecutorService background = Executors.newSingleThreadExecutor(daemon("blockdeck-session"));
        ExecutorService layout = Executors.newSingleThreadExecutor(daemon("blockdeck-layout"));
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("blockdeck-timers"));
        layout.execute(LaneLayouter::warmUp);
        GraphViewModel graph = new GraphViewModel(layout, Platform::runLater, timers);
        IoViewModel io = new IoViewModel(graph.stateProperty(), Platform::runLater, timers, System::nanoTime);
        ConsoleViewModel viewModel = new ConsoleViewModel(launcher, background, Platform::runLater, graph, io);
        controller.bind(viewModel, version);
        controller.bindShell(settings);

        // a session that connected is worth offering again
        RecentConnection recent = options.recent();
        viewModel.connectionStateProperty().addListener((o, a, state) -> {
            if (state == ConnectionState.CONNECTED) {
                settings.connected(recent);
            }
        });
        return new ConsoleSession(root, controller, viewModel, launcher, background, layout, timers);
    }

    void connect() {
        viewModel.connect();
    }

    /** Closes the session (an embedded engine stops) and the threads. Idempotent. */
    void close() {
        viewModel.shutdown();
        for (ExecutorService e : new ExecutorService[] {background, layout, timers}) {
            e.shutdownNow();
        }
    }

    /** A launcher whose open() reports why the session could not even be prepared (e.g. no such scenario). */
    private static SessionLauncher failing(Exception cause) {
        return new SessionLauncher() {
            @Override
            public String description() {
                return "No session";
            }

            @Override
            public Session open(Progress progress) throws Exception {
                throw cause;
            }
        };
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
