package dev.blockdeck.app;

import atlantafx.base.theme.PrimerLight;
import dev.blockdeck.app.session.SessionLauncher;
import dev.blockdeck.app.view.ConsoleController;
import dev.blockdeck.app.viewmodel.ConsoleViewModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JavaFX application: one console window. Started by {@link Launcher}. */
public final class MainApp extends Application {

    public static final String TITLE = "BlockDeck";

    private final AppOptions presetOptions;
    private ExecutorService background;
    private ConsoleViewModel viewModel;

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

        background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "blockdeck-session");
            t.setDaemon(true);
            return t;
        });

        FXMLLoader loader = new FXMLLoader(MainApp.class.getResource("view/ConsoleView.fxml"));
        Parent root = loader.load();
        ConsoleController controller = loader.getController();

        SessionLauncher launcher;
        try {
            launcher = options.launcher();
        } catch (IOException | RuntimeException e) {
            launcher = failing(e);
        }
        viewModel = new ConsoleViewModel(launcher, background, Platform::runLater);
        controller.bind(viewModel, version());

        stage.setTitle(TITLE + " — " + launcher.description());
        stage.getIcons().add(new Image(MainApp.class.getResource("/icons/blockdeck.png").toExternalForm()));
        stage.setScene(new Scene(root, 1120, 700));
        stage.setMinWidth(720);
        stage.setMinHeight(420);
        stage.setOnHidden(e -> shutdown());
        stage.show();

        viewModel.connect();
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

    @Override
    public void stop() {
        shutdown();
    }

    private void shutdown() {
        if (viewModel != null) {
            viewModel.shutdown();
        }
        if (background != null) {
            background.shutdownNow();
        }
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
