package dev.blockdeck.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.blockdeck.app.settings.RecentConnection;
import dev.blockdeck.app.settings.Settings;
import dev.blockdeck.app.settings.SettingsStore;
import dev.blockdeck.app.settings.Theme;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;

import static dev.blockdeck.app.IoWindowTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The theme switch (Shortcut+Shift+D and View › Dark theme) over the whole window, with the CSS engine's warnings
 * about our stylesheets collected; and what the window remembers in its settings file (here a temporary one).
 */
@ExtendWith(ApplicationExtension.class)
class ThemeWindowTest {

    @TempDir
    Path dir;

    private final CssWarnings warnings = new CssWarnings();
    private MainApp app;
    private SettingsStore store;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        store = new SettingsStore(dir.resolve("config/settings.json"));
        store.save(Settings.DEFAULTS.withRecent(RecentConnection.scenario("test-202")));
        app = new MainApp(AppOptions.parse(List.of()), store);
        app.start(stage);
    }

    @Stop
    void stop() {
        app.stop();
    }

    /** Undoes a test's change to the shared stage's size. */
    private Runnable restore = () -> { };

    @AfterEach
    void closeWarnings() {
        warnings.close();
        // the next test class finds the stage and the application's stylesheet as the others leave them
        javafx.application.Platform.runLater(() -> {
            restore.run();
            dev.blockdeck.app.view.Themes.applyToApplication(Theme.LIGHT);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static double luminance(Paint p) {
        Color c = (Color) p;
        return 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
    }

    private static double background(FxRobot robot, String selector, int layer) {
        Region r = robot.lookup(selector).queryAs(Region.class);
        return luminance(r.getBackground().getFills().get(layer).getFill());
    }

    private static Node card(FxRobot robot, String name) {
        return robot.lookup(".node-card").queryAll().stream().filter(c -> name.equals(c.getUserData())).findFirst().orElse(null);
    }

    private static void ready(FxRobot robot) throws Exception {
        waitFor("the demo graph", 30, () -> card(robot, "disk0") != null);
        waitFor("connected", 10, () -> robot.lookup("#connectionState").queryLabeled().getText().equals("Connected"));
    }

    /** Every tab shown once and a card selected, so every stylesheet of ours styles something. */
    private static void visitEverything(FxRobot robot) throws Exception {
        robot.clickOn(card(robot, "disk0"));
        for (KeyCode digit : List.of(KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5)) {
            robot.push(new KeyCodeCombination(digit, KeyCombination.SHORTCUT_DOWN));
            WaitForAsyncUtils.waitForFxEvents();
        }
        waitFor("the I/O tab's first rates", 10, () -> robot.lookup("#ioRates .table-row-cell").queryAll().stream()
                .anyMatch(n -> n.isVisible() && !((javafx.scene.control.TableRow<?>) n).isEmpty()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void darkAllOverAndBackWithoutACssWarning(FxRobot robot) throws Exception {
        ready(robot);
        Node console = robot.lookup(".console").query();
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(new PrimerLight().getUserAgentStylesheet());
        assertThat(console.getStyleClass()).contains("theme-light").doesNotContain("theme-dark");
        visitEverything(robot);
        assertThat(background(robot, ".graph-area", 0)).isGreaterThan(0.9);
        assertThat(background(robot, "#ioIopsChart .chart-plot-background", 0)).isGreaterThan(0.9);

        robot.push(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(new PrimerDark().getUserAgentStylesheet());
        assertThat(console.getStyleClass()).contains("theme-dark").doesNotContain("theme-light");
        assertThat(app.settings().themeProperty().get()).isEqualTo(Theme.DARK);
        assertThat(new SettingsStore(store.file()).load().theme()).as("written at once").isEqualTo(Theme.DARK);

        // the ground is dark, the writing light: graph, cards, lanes, inspector, charts
        visitEverything(robot);
        assertThat(background(robot, ".graph-area", 0)).isLessThan(0.15);
        Region disk0 = (Region) card(robot, "disk0");
        assertThat(luminance(disk0.getBackground().getFills().get(1).getFill())).as("card ground").isLessThan(0.15);
        Label title = (Label) disk0.lookup(".card-title");
        assertThat(luminance(title.getTextFill())).as("card title").isGreaterThan(0.6);
        assertThat(robot.lookup(".lane-even").queryAll()).allSatisfy(lane ->
                assertThat(luminance(((javafx.scene.shape.Shape) lane).getFill())).isLessThan(0.15));
        assertThat(background(robot, "#ioIopsChart .chart-plot-background", 0)).isLessThan(0.15);
        assertThat(background(robot, ".inspector", 0)).isLessThan(0.15);

        // back through the menu
        robot.clickOn("View");
        robot.clickOn("Dark theme");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(new PrimerLight().getUserAgentStylesheet());
        assertThat(background(robot, ".graph-area", 0)).isGreaterThan(0.9);
        assertThat(new SettingsStore(store.file()).load().theme()).isEqualTo(Theme.LIGHT);
        visitEverything(robot);

        assertThat(warnings.seen()).isEmpty();
    }

    /**
     * The window paints its own ground: once ControlsFX's DecorationPane is the scene's root (the I/O form validates
     * at once), Primer's .root ground is no longer ours, and parts with no ground of their own (an empty list, a
     * form's viewport) showed the scene's white after a switch to dark. Tabs first shown after the switch too.
     */
    @Test
    void theWindowPaintsItsOwnGroundInEitherTheme(FxRobot robot) throws Exception {
        ready(robot);
        Region console = robot.lookup(".console").queryAs(Region.class);
        robot.push(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN));
        waitFor("the workload form", 10, () -> !robot.lookup("#ioForm").query().isDisabled());
        robot.doubleClickOn("#ioWorkloadId").eraseText(2).write("w9"); // a validation that marks a field
        waitFor("ControlsFX's pane over the view", 10, () -> console.getScene().getRoot() != console);
        assertThat(luminance(console.getBackground().getFills().get(0).getFill())).isGreaterThan(0.9);
        robot.push(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(luminance(console.getBackground().getFills().get(0).getFill())).isLessThan(0.15);
        for (KeyCode digit : List.of(KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5)) {
            robot.push(new KeyCodeCombination(digit, KeyCombination.SHORTCUT_DOWN));
            WaitForAsyncUtils.waitForFxEvents();
            for (String list : List.of("#txnActions", "#wireList", "#eventTable", "#ioWorkloads", "#ioRates")) {
                robot.lookup(list).tryQueryAs(Region.class).filter(Node::isVisible)
                        .filter(r -> r.getBackground() != null && !r.getBackground().getFills().isEmpty())
                        .ifPresent(r -> assertThat(luminance(r.getBackground().getFills().get(
                                r.getBackground().getFills().size() - 1).getFill())).as(list + " ground").isLessThan(0.15));
            }
        }
        assertThat(warnings.seen()).isEmpty();
    }

    @Test
    void theWindowComesBackAsItWasLeft(FxRobot robot) throws Exception {
        ready(robot);
        waitFor("the session remembered", 5, () -> app.settings().recent().get(0).equals(RecentConnection.scenario("demo")));
        robot.push(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        robot.push(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN));
        // TestFX hands every test the same stage: the next test class gets back the size this one found
        double[] found = {stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()};
        restore = () -> {
            stage.setX(found[0]);
            stage.setY(found[1]);
            stage.setWidth(found[2]);
            stage.setHeight(found[3]);
        };
        robot.interact(() -> {
            stage.setX(30);
            stage.setY(20);
            stage.setWidth(1100);
            stage.setHeight(700);
            robot.lookup("#mainSplit").queryAs(javafx.scene.control.SplitPane.class).setDividerPositions(0.47);
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(stage::close);

        Settings saved = new SettingsStore(store.file()).load();
        assertThat(saved.theme()).isEqualTo(Theme.DARK);
        assertThat(saved.lastTab()).isEqualTo("ioTab");
        assertThat(saved.mainDivider()).isBetween(0.46, 0.48);
        assertThat(saved.window().width()).isEqualTo(1100);
        assertThat(saved.window().height()).isEqualTo(700);
        assertThat(saved.recent()).containsExactly(RecentConnection.scenario("demo"), RecentConnection.scenario("test-202"));

        // the next run
        Stage[] second = new Stage[1];
        MainApp[] next = new MainApp[1];
        robot.interact(() -> {
            try {
                second[0] = new Stage();
                next[0] = new MainApp(AppOptions.parse(List.of()), new SettingsStore(store.file()));
                next[0].start(second[0]);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        try {
            assertThat(second[0].getWidth()).isEqualTo(1100);
            assertThat(second[0].getHeight()).isEqualTo(700);
            assertThat(second[0].getX()).isEqualTo(30);
            assertThat(Application.getUserAgentStylesheet()).isEqualTo(new PrimerDark().getUserAgentStylesheet());
            assertThat(((CheckMenuItem) robot.lookup("#menuBar").queryAs(javafx.scene.control.MenuBar.class).getMenus()
                    .stream().flatMap(m -> m.getItems().stream()).filter(i -> "darkItem".equals(i.getId()))
                    .findFirst().orElseThrow()).isSelected()).isTrue();
            var tabs = second[0].getScene().getRoot().lookup("#bottomTabs");
            assertThat(((javafx.scene.control.TabPane) tabs).getSelectionModel().getSelectedItem().getId()).isEqualTo("ioTab");
            var split = (javafx.scene.control.SplitPane) second[0].getScene().getRoot().lookup("#mainSplit");
            assertThat(split.getDividerPositions()[0]).isBetween(0.46, 0.48);
            assertThat(second[0].getScene().getRoot().lookupAll(".recent-link")).extracting(n -> ((javafx.scene.control.Hyperlink) n).getText())
                    .containsExactly("demo", "test-202");
        } finally {
            robot.interact(() -> {
                next[0].stop();
                second[0].close();
            });
        }
    }

    @Test
    void aRecentSessionReconnectsInTheSameWindow(FxRobot robot) throws Exception {
        ready(robot);
        Path oldSocket = Path.of(robot.lookup("#socketPath").queryLabeled().getText());
        waitFor("the sidebar's list", 5, () -> robot.lookup(".recent-link").queryAll().size() == 2);
        Node link = robot.lookup(".recent-link").queryAll().stream()
                .filter(n -> ((javafx.scene.control.Hyperlink) n).getText().equals("test-202")).findFirst().orElseThrow();
        robot.clickOn(link);

        waitFor("the other session", 30, () -> stage.getTitle().contains("test-202.args")
                && robot.lookup("#connectionState").queryLabeled().getText().equals("Connected"));
        waitFor("its VM", 10, () -> robot.lookup("#vmName").queryLabeled().getText().equals("test-202"));
        waitFor("the old engine stopped", 10, () -> !java.nio.file.Files.exists(oldSocket.getParent()));
        assertThat(app.settings().recent().get(0)).isEqualTo(RecentConnection.scenario("test-202"));
        assertThat(new SettingsStore(store.file()).load().recent().get(0)).isEqualTo(RecentConnection.scenario("test-202"));
        assertThat(warnings.seen()).isEmpty();
    }
}
