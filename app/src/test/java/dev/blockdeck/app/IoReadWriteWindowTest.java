package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static dev.blockdeck.app.DragRobot.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The I/O charts keep reads and writes apart, on the embedded engine: a guest workload started by another QMP
 * client on a drive small enough that its writes wrap around within a second, so it reads (what it wrote) as well
 * as writes; 30 % reads. Each chart then has a read line above zero and a write line below it, per drive and per
 * IOThread, with one legend; the axis labels its ticks by magnitude.
 */
@ExtendWith(ApplicationExtension.class)
class IoReadWriteWindowTest extends ControlledScenarioWindow {

    private static final ObjectMapper JSON = new ObjectMapper();


    @Start
    void start(Stage stage) throws Exception {
        // 1 MiB of null-co: 256 blocks of 4 KiB, written over and over
        open(stage, "rw", String.join("\n", "-name rw-vm", "-M q35", "-nodefaults", "-display none",
                "-object iothread,id=iothread0", "-drive if=none,id=small0,driver=null-co,size=1048576",
                "-device virtio-blk-pci,id=vsmall,drive=small0,iothread=iothread0"));
    }

    @Stop
    void stop() {
        detach();
    }

    private JsonNode qmp(String command, String args) throws Exception {
        return control.execute(command, args == null ? null : (ObjectNode) JSON.readTree(args)).get(10, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static LineChart<Number, Number> chart(FxRobot robot, String id) {
        return robot.lookup(id).tryQueryAs(LineChart.class).orElse(null);
    }

    /** The newest y of each line of a chart, by line name (ControlsFX may hide the root for a moment: then none). */
    private static Map<String, Double> latest(FxRobot robot, String chartId) throws Exception {
        return WaitForAsyncUtils.asyncFx((Callable<Map<String, Double>>) () -> {
            Map<String, Double> out = new LinkedHashMap<>();
            LineChart<Number, Number> chart = chart(robot, chartId);
            if (chart != null) {
                for (XYChart.Series<Number, Number> s : chart.getData()) {
                    if (!s.getData().isEmpty()) {
                        out.put(s.getName(), s.getData().get(s.getData().size() - 1).getYValue().doubleValue());
                    }
                }
            }
            return out;
        }).get(5, TimeUnit.SECONDS);
    }

    /** Both directions at once: reads above zero, writes below. */
    private static boolean readingAndWriting(Map<String, Double> lines, String name) {
        return lines.getOrDefault(name + " read", 0.0) > 0 && lines.getOrDefault(name + " write", 0.0) < 0;
    }

    private static List<String> legend(FxRobot robot) {
        return robot.lookup("#ioLegend .io-legend-item").queryAll().stream().map(n -> (String) n.getUserData()).toList();
    }

    @Test
    void readsAndWritesAreSeparateLinesPerDriveAndPerIothread(FxRobot robot) throws Exception {
        waitFor("the graph", 30, () -> robot.lookup(".node-card").queryAll().size() >= 2);
        connectControl();
        robot.push(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN));
        qmp("__dev.blockdeck_guest-workload-start", "{\"id\": \"rw\", \"drives\": [\"vsmall\"], \"rate\": 2000,"
                + " \"read-percent\": 30}");

        waitFor("reads and writes on vsmall", 20, () -> readingAndWriting(latest(robot, "#ioIopsChart"), "vsmall"));
        Map<String, Double> iops = latest(robot, "#ioIopsChart");
        assertThat(iops).containsOnlyKeys("vsmall read", "vsmall write");
        assertThat(iops.get("vsmall read")).as("30 %% reads: fewer than the writes")
                .isLessThan(-iops.get("vsmall write"));
        waitFor("MiB/s too", 10, () -> readingAndWriting(latest(robot, "#ioThroughputChart"), "vsmall"));
        assertThat(legend(robot)).containsExactly("vsmall");

        // the write line sits below zero, but its ticks read as rates: no negative numbers on the axis
        WaitForAsyncUtils.waitForFxEvents();
        List<String> ticks = WaitForAsyncUtils.asyncFx((Callable<List<String>>) () -> robot
                .from(chart(robot, "#ioIopsChart").getYAxis()).lookup((java.util.function.Predicate<Node>) n -> n instanceof Text && n.isVisible())
                .queryAll().stream().map(n -> ((Text) n).getText()).toList()).get(5, TimeUnit.SECONDS);
        assertThat(ticks).hasSizeGreaterThan(2).noneMatch(t -> t.startsWith("-"));
        assertThat(((NumberAxis) chart(robot, "#ioIopsChart").getYAxis()).getLowerBound()).isNegative();

        // per IOThread: the drive runs in iothread0 while the VM runs; the main loop idles on the zero line
        robot.clickOn("#ioPerIothread");
        waitFor("reads and writes in iothread0", 10, () -> readingAndWriting(latest(robot, "#ioIopsChart"), "iothread0"));
        Map<String, Double> contexts = latest(robot, "#ioIopsChart");
        assertThat(contexts).containsOnlyKeys("main loop read", "main loop write", "iothread0 read", "iothread0 write");
        assertThat(contexts.get("main loop read")).isZero();
        assertThat(contexts.get("main loop write")).isZero();
        waitFor("the legend per IOThread", 5, () -> legend(robot).equals(List.of("main loop", "iothread0")));

        // each line has a colour of its own series, the write one dashed
        Node writeLine = WaitForAsyncUtils.asyncFx(() -> chart(robot, "#ioIopsChart").getData().stream()
                .filter(s -> s.getName().equals("iothread0 write")).findFirst().orElseThrow().getNode()).get();
        assertThat(writeLine.getStyle()).contains("-fx-stroke: -io-line-").contains("-fx-stroke-dash-array");

        qmp("__dev.blockdeck_guest-workload-stop", "{\"id\": \"rw\"}");
    }
}
