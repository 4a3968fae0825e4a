package dev.blockdeck.app;

import dev.blockdeck.app.io.WorkloadInfo;
import dev.blockdeck.app.viewmodel.QmpConsoleViewModel;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The I/O tab on the embedded engine (demo scenario: devices vblk0 and vblk1 in iothread0 and iothread1), used as
 * a user would: Shortcut+5, choose both drives, start a workload, watch the charts climb, per drive and per
 * IOThread, stop it, and check over QMP that the engine has no workload left.
 */
@ExtendWith(ApplicationExtension.class)
class IoWindowTest {

    private MainApp app;

    @Start
    void start(Stage stage) throws Exception {
        app = new MainApp(AppOptions.parse(List.of()));
        app.start(stage);
    }

    @Stop
    void stop() {
        app.stop();
    }

    static void waitFor(String what, long seconds, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    /**
     * The newest y of each line of a chart that has points, by series name. (ControlsFX puts a DecorationPane
     * over the window's root when the form first validates: for a moment a lookup may find nothing.)
     */
    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Double> latest(FxRobot robot, String chartId) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        LineChart<Number, Number> chart = robot.lookup(chartId).tryQueryAs(LineChart.class).orElse(null);
        if (chart == null) {
            return out;
        }
        for (XYChart.Series<Number, Number> s : List.copyOf(chart.getData())) {
            List<XYChart.Data<Number, Number>> d = List.copyOf(s.getData());
            if (!d.isEmpty()) {
                out.put(s.getName(), d.get(d.size() - 1).getYValue().doubleValue());
            }
        }
        return out;
    }

    /**
     * Each name's write line below zero (writes are drawn downwards), its read line there too. The engine's
     * workload reads only blocks it wrote before (to verify them), which a sequential run over these big drives
     * does not reach within the test: the reads stay at zero here (IoReadWriteWindowTest has both).
     */
    private static boolean climbing(java.util.Map<String, Double> latest, String... names) {
        for (String n : names) {
            if (!latest.containsKey(n + " read") || latest.getOrDefault(n + " write", 0.0) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The legend under the charts: its series names, in order. */
    private static List<String> legend(FxRobot robot) {
        return robot.lookup("#ioLegend .io-legend-item").queryAll().stream().map(n -> (String) n.getUserData()).toList();
    }

    private List<WorkloadInfo> workloads() {
        return List.copyOf(app.viewModel().io().workloads().workloads());
    }

    private static void check(FxRobot robot, String drive) throws Exception {
        robot.clickOn("#ioDrives");
        waitFor("the drive list", 5, () -> cell(robot, drive) != null);
        robot.clickOn(cell(robot, drive));
        robot.type(KeyCode.ESCAPE);
    }

    private static Node cell(FxRobot robot, String text) {
        return robot.lookup(".combo-box-popup .list-cell").queryAll().stream()
                .filter(n -> n.isVisible() && text.equals(((ListCell<?>) n).getText())).findFirst().orElse(null);
    }

    @Test
    void aWorkloadStartedFromTheTabShowsInTheChartsAndStops(FxRobot robot) throws Exception {
        waitFor("the demo graph", 30, () -> robot.lookup(".node-card").queryAll().size() >= 6);
        robot.push(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN));
        TabPane tabs = robot.lookup("#bottomTabs").queryAs(TabPane.class);
        Tab selected = tabs.getSelectionModel().getSelectedItem();
        assertThat(selected.getId()).isEqualTo("ioTab");

        // the drives come from query-blockstats; the engine has the workload commands
        waitFor("the drives", 10, () -> app.viewModel().io().drives().equals(List.of("vblk0", "vblk1")));
        waitFor("the workload form", 10, () -> !robot.lookup("#ioForm").query().isDisabled());
        assertThat(robot.lookup("#ioStart").query().isDisabled()).as("no drive chosen yet").isTrue();

        check(robot, "vblk0");
        check(robot, "vblk1");
        // the demo's drives are null-co: the form warns that reads there cannot verify
        waitFor("the null-co note", 5, () -> robot.lookup("#ioDataless").query().isVisible());
        assertThat(robot.lookup("#ioDataless").queryLabeled().getText()).startsWith("vblk0, vblk1 keep no data (null-co)");
        robot.doubleClickOn("#ioRate").write("2000");
        assertThat(robot.lookup("#ioRate").queryTextInputControl().getText()).isEqualTo("2000");
        waitFor("Start enabled", 5, () -> !robot.lookup("#ioStart").query().isDisabled());
        robot.clickOn("#ioStart");

        waitFor("the workload", 10, () -> workloads().stream().anyMatch(w -> w.id().equals("w1") && w.running()));
        assertThat(workloads().get(0).drives()).containsExactly("vblk0", "vblk1");
        // reads and writes are lines of their own, per drive, in both charts
        waitFor("IOPS on both drives", 20, () -> climbing(latest(robot, "#ioIopsChart"), "vblk0", "vblk1"));
        assertThat(climbing(latest(robot, "#ioThroughputChart"), "vblk0", "vblk1")).isTrue();
        assertThat(latest(robot, "#ioIopsChart")).containsOnlyKeys("vblk0 read", "vblk0 write", "vblk1 read", "vblk1 write");
        assertThat(legend(robot)).containsExactly("vblk0", "vblk1");
        assertThat(robot.lookup("#ioLegend .io-legend-key").queryAll()).hasSize(2);
        waitFor("the counters", 10, () -> workloads().get(0).ops() > 0);

        // per IOThread: each device's drive runs in its own iothread while the VM runs; the main loop idles
        robot.clickOn("#ioPerIothread");
        waitFor("IOPS per IOThread", 10, () -> climbing(latest(robot, "#ioIopsChart"), "iothread0", "iothread1"));
        assertThat(latest(robot, "#ioIopsChart")).containsKeys("main loop read", "main loop write")
                .doesNotContainKeys("vblk0 read", "vblk1 write");
        waitFor("the legend per IOThread", 5, () -> legend(robot).equals(List.of("main loop", "iothread0", "iothread1")));

        robot.clickOn("#ioStop-w1");
        waitFor("the workload to stop", 15, () -> !workloads().get(0).running());
        WorkloadInfo last = workloads().get(0);
        assertThat(last.ops()).isPositive();
        assertThat(last.errors()).isZero();
        waitFor("the outcome", 5, () -> robot.lookup("#ioMessage").queryLabeled().getText().startsWith("Stopped w1: "));
        // the rates fall back to zero once the requests stop
        waitFor("IOPS back to zero", 10, () -> latest(robot, "#ioIopsChart").values().stream().allMatch(v -> v == 0));

        // and the engine agrees: nothing runs any more
        robot.push(new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN));
        robot.clickOn("#qmpCommandLine").write("__dev.blockdeck_query-guest-workloads");
        robot.type(KeyCode.ESCAPE).type(KeyCode.ENTER);
        waitFor("the answer", 10, () -> {
            @SuppressWarnings("unchecked")
            List<QmpConsoleViewModel.Entry> t = List.copyOf(
                    ((ListView<QmpConsoleViewModel.Entry>) robot.lookup("#qmpTranscript").query()).getItems());
            return !t.isEmpty() && t.get(t.size() - 1).kind() == QmpConsoleViewModel.Kind.RETURN
                    && t.get(t.size() - 1).body().equals("[]");
        });
    }

    @Test
    void theFormRefusesWhatTheEngineWould(FxRobot robot) throws Exception {
        waitFor("the demo graph", 30, () -> robot.lookup(".node-card").queryAll().size() >= 6);
        robot.push(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN));
        waitFor("the workload form", 10, () -> !robot.lookup("#ioForm").query().isDisabled());
        check(robot, "vblk0");
        robot.doubleClickOn("#ioRate").write("fast");
        waitFor("the rate refused", 5, () -> robot.lookup("#ioProblems").queryLabeled().getText().contains("Rate:"));
        assertThat(robot.lookup("#ioStart").query().isDisabled()).isTrue();
        robot.doubleClickOn("#ioRate").write("100");
        robot.doubleClickOn("#ioWorkloadId").eraseText(2);
        waitFor("the id asked for", 5, () -> robot.lookup("#ioProblems").queryLabeled().getText()
                .equals("Give the workload an id."));
        assertThat(robot.lookup("#ioStart").query().isDisabled()).isTrue();
        robot.write("w1");
        waitFor("valid again", 5, () -> !robot.lookup("#ioStart").query().isDisabled());
        assertThat(workloads()).isEmpty();
    }
}
