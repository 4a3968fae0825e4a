package dev.blockdeck.app;

import atlantafx.base.theme.PrimerLight;
import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.session.SessionLauncher;
import dev.blockdeck.app.session.ShippedScenarios;
import dev.blockdeck.app.view.ConsoleController;
import dev.blockdeck.app.viewmodel.ConsoleViewModel;
import dev.blockdeck.app.viewmodel.GraphViewModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The JavaFX application: one console window. Started by {@link Launcher}. */
public final class MainApp extends Application {

    public static final String TITLE = "BlockDeck";

    private final AppOptions presetOptions;
    private ExecutorService background;
    private ExecutorService layout;
    private ScheduledExecutorService timers;
    private ConsoleViewModel viewModel;
    private ConsoleController controller;

    public MainApp() {
        this(null);
    }

    /** For tests: options instead of the command line. */
    MainApp(AppOptions options) {
        this.presetOptions = options;
    }

    @Override
    public void start(Stage stage) throws IOException {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        AppOptions options = presetOptions != null ? presetOptions
                : AppOptions.parse(getParameters() == null ? List.of() : getParameters().getRaw());

        background = Executors.newSingleThreadExecutor(daemon("blockdeck-session"));
        layout = Executors.newSingleThreadExecutor(daemon("blockdeck-layout"));
        timers = Executors.newSingleThreadScheduledExecutor(daemon("blockdeck-timers"));
        layout.execute(LaneLayouter::warmUp);

        FXMLLoader loader = new FXMLLoader(MainApp.class.getResource("view/ConsoleView.fxml"));
        Parent root = loader.load();
        controller = loader.getController();

        SessionLauncher launcher;
        try {
            launcher = options.launcher();
        } catch (IOException | RuntimeException e) {
            launcher = failing(e);
        }
        GraphViewModel graph = new GraphViewModel(layout, Platform::runLater, timers);
        viewModel = new ConsoleViewModel(launcher, background, Platform::runLater, graph);
        controller.bind(viewModel, version());
        controller.setScenarios(scenarioNames(), this::openScenarioWindow);

        stage.setTitle(TITLE + " — " + launcher.description());
        stage.getIcons().add(new Image(MainApp.class.getResource("/icons/blockdeck.png").toExternalForm()));
        // a graph wants room: most of the screen, up to 1440×900
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        stage.setScene(new Scene(root, Math.max(720, Math.min(1440, screen.getWidth() * 0.92)),
                Math.max(420, Math.min(900, screen.getHeight() * 0.9))));
        stage.setMinWidth(720);
        stage.setMinHeight(420);
        stage.setOnHidden(e -> shutdown());
        stage.show();

        viewModel.connect();
    }

    private final List<MainApp> opened = new java.util.ArrayList<>();

    private static List<String> scenarioNames() {
        try {
            return ShippedScenarios.names();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** File › Open scenario: another console window, with its own embedded engine, closed with this app. */
    private void openScenarioWindow(String name) {
        MainApp other = new MainApp(new AppOptions(name, null));
        try {
            other.start(new Stage());
            opened.add(other);
        } catch (IOException | RuntimeException e) {
            viewModel.showStatus("Could not open scenario " + name + ": " + e.getMessage());
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
            public dev.blockdeck.app.session.Session open(Progress progress) throws Exception {
                throw cause;
            }
        };
    }

    /** For tests: the window's controller. */
    ConsoleController controller() {
        return controller;
    }

    /** For tests: the window's ViewModel. */
    ConsoleViewModel viewModel() {
        return viewModel;
    }

    @Override
    public void stop() {
        shutdown();
    }

    private void shutdown() {
        opened.forEach(MainApp::stop);
        if (viewModel != null) {
            viewModel.shutdown();
        }
        for (ExecutorService e : new ExecutorService[] {background, layout, timers}) {
            if (e != null) {
                e.shutdownNow();
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The build's version, from {@code app.properties} (filtered by Maven). */
    static String version() {
        try (InputStream in = MainApp.class.getResourceAsStream("app.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
