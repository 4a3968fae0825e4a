package dev.blockdeck.app;

import dev.blockdeck.app.session.QemuSessionLauncher;
import dev.blockdeck.app.session.Scenario;
import dev.blockdeck.app.session.ShippedScenarios;
import dev.blockdeck.app.settings.RecentConnection;
import dev.blockdeck.app.settings.SettingsStore;
import dev.blockdeck.app.view.ConsoleController;
import dev.blockdeck.app.view.Themes;
import dev.blockdeck.app.viewmodel.ConsoleViewModel;
import dev.blockdeck.app.viewmodel.SettingsViewModel;
import javafx.application.Application;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.layout.Region;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The JavaFX application: one console window. Started by {@link Launcher}. The window outlives its session:
 * reconnecting to a recent one swaps the {@link ConsoleSession} under the same stage.
 */
public final class MainApp extends Application {

    public static final String TITLE = "BlockDeck";

    private final AppOptions presetOptions;
    private final SettingsStore presetStore;
    /** Set for a window opened from another (File › Open scenario): they share the settings, theme and all. */
    private final SettingsViewModel sharedSettings;
    private final List<MainApp> opened = new ArrayList<>();
    private Stage stage;
    private WindowState windowState;
    private SettingsViewModel settings;
    private ConsoleSession session;

    public MainApp() {
        this(null, null);
    }

    /** For tests: options instead of the command line; remembered state goes to a throwaway file. */
    MainApp(AppOptions options) {
        this(options, throwawayStore());
    }

    /** For tests: options and where the remembered state lives. */
    MainApp(AppOptions options, SettingsStore store) {
        this(options, store, null);
    }

    private MainApp(AppOptions options, SettingsStore store, SettingsViewModel shared) {
        this.presetOptions = options;
        this.presetStore = store;
        this.sharedSettings = shared;
    }

    private static SettingsStore throwawayStore() {
        try {
            Path dir = Files.createTempDirectory("blockdeck-settings");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("settings.json");
            file.toFile().deleteOnExit();
            return new SettingsStore(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void start(Stage stage) throws IOException {
        this.stage = stage;
        settings = sharedSettings != null ? sharedSettings
                : new SettingsViewModel(presetStore != null ? presetStore : SettingsStore.forUser());
        if (sharedSettings == null) {
            settings.setOpener(this::reopen);
        }
        // before any view loads, so no control is ever styled without the theme's looked-up colours
        Themes.applyToApplication(settings.themeProperty().get());
        AppOptions options = presetOptions != null ? presetOptions
                : AppOptions.parse(getParameters() == null ? List.of() : getParameters().getRaw());

        session = load(options);
        stage.setTitle(TITLE + " — " + session.launcher.description());
        stage.getIcons().add(new Image(MainApp.class.getResource("/icons/blockdeck.png").toExternalForm()));
        // a graph wants room: most of the screen, up to 1440×900, unless the last run left another size
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(session.root, Math.max(720, Math.min(1440, screen.getWidth() * 0.92)),
                Math.max(420, Math.min(900, screen.getHeight() * 0.9)));
        stage.setScene(scene);
        windowState = new WindowState(stage);
        windowState.restore(settings.current().window());
        stage.setMinWidth(720);
        stage.setMinHeight(420);
        stage.setOnHidden(e -> {
            remember();
            // a hidden window's scene loses its theme: the closing session's last words (notes in the console
            // and the trace) must not be styled there, or every looked-up colour fails to resolve
            stage.getScene().setRoot(new Region());
            shutdown();
        });
        stage.show();
        session.controller.restoreLayout(settings.current());
        session.connect();
    }

    /** Replaces the window's session with a recent one (FX thread): the old one closes, its engine stops. */
    void reopen(RecentConnection recent) {
        remember();
        ConsoleSession old = session;
        try {
            session = load(AppOptions.of(recent));
        } catch (IOException e) {
            old.viewModel.showStatus("Could not open " + recent.label() + ": " + e.getMessage());
            return;
        }
        old.close();
        stage.getScene().setRoot(session.root);
        stage.setTitle(TITLE + " — " + session.launcher.description());
        session.controller.restoreLayout(settings.current());
        session.connect();
    }

    private ConsoleSession load(AppOptions options) throws IOException {
        ConsoleSession s = ConsoleSession.load(options, settings, version());
        s.controller.setScenarios(scenarioNames(), this::openScenarioWindow);
        s.controller.setQemuScenarios(scenarioNames(), QemuSessionLauncher.onPath().isPresent(),
                name -> openWindow(new AppOptions(name, null, QemuSessionLauncher.DEFAULT_BINARY),
                        "scenario " + name + " on QEMU"));
        s.controller.setAttach(path -> openWindow(new AppOptions(Scenario.DEFAULT, path), "a session on " + path));
        return s;
    }

    private static List<String> scenarioNames() {
        try {
            return ShippedScenarios.names();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * File › Open scenario: another console window, with its own embedded engine, closed with this app. It shares
     * this window's settings (a theme switch in either reaches both); only the first window's layout is saved.
     */
    private void openScenarioWindow(String name) {
        openWindow(new AppOptions(name, null), "scenario " + name);
    }

    /** Another console window on {@code options}, closed with this app. */
    private void openWindow(AppOptions options, String what) {
        MainApp other = new MainApp(options, presetStore, settings);
        try {
            other.start(new Stage());
            opened.add(other);
        } catch (IOException | RuntimeException e) {
            session.viewModel.showStatus("Could not open " + what + ": " + e.getMessage());
        }
    }

    /** Saves the window's bounds and layout (dividers, tab) with the other settings. */
    private void remember() {
        if (settings == null || session == null || sharedSettings != null) {
            return;
        }
        var bounds = windowState.capture();
        settings.update(s -> session.controller.saveLayout(bounds != null ? s.withWindow(bounds) : s));
    }

    /** For tests: the window's controller. */
    ConsoleController controller() {
        return session.controller;
    }

    /** For tests: the window's ViewModel. */
    ConsoleViewModel viewModel() {
        return session.viewModel;
    }

    /** For tests: the remembered state. */
    SettingsViewModel settings() {
        return settings;
    }

    @Override
    public void stop() {
        shutdown();
    }

    private void shutdown() {
        opened.forEach(MainApp::stop);
        if (session != null) {
            session.close();
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
