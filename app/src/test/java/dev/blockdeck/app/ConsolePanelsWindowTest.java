package dev.blockdeck.app;

import dev.blockdeck.app.model.Completer;
import dev.blockdeck.app.viewmodel.EventLogViewModel;
import dev.blockdeck.app.viewmodel.QmpConsoleViewModel;
import dev.blockdeck.app.viewmodel.WireTraceViewModel;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's panels on the real embedded engine (demo scenario), driven like a user would: the QMP
 * console, its completion, the event log, the inspector and its IOThread edits, the exports. Headless under
 * Monocle by default (app/pom.xml).
 */
@ExtendWith(ApplicationExtension.class)
class ConsolePanelsWindowTest {

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

    private static void waitFor(String what, long seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    /** Connected, and the graph drawn (its cards are what the inspector tests click). */
    private static void ready(FxRobot robot) throws Exception {
        waitFor("the demo graph", 30, () -> card(robot, "disk0") != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static Node card(FxRobot robot, String nodeName) {
        return robot.lookup(".node-card").queryAll().stream().filter(c -> nodeName.equals(c.getUserData()))
                .findFirst().orElse(null);
    }

    private static void run(FxRobot robot, String line) {
        robot.clickOn("#qmpCommandLine");
        robot.write(line);
        robot.type(KeyCode.ESCAPE); // close the completion list, so Enter runs the line
        robot.type(KeyCode.ENTER);
    }

    @SuppressWarnings("unchecked")
    private static List<QmpConsoleViewModel.Entry> transcript(FxRobot robot) {
        return List.copyOf(((ListView<QmpConsoleViewModel.Entry>) robot.lookup("#qmpTranscript").query()).getItems());
    }

    /** The last transcript entry, once it answers {@code command}: waits for the RETURN or ERROR after it. */
    private static QmpConsoleViewModel.Entry answerTo(FxRobot robot, String command) throws Exception {
        waitFor("the answer to " + command, 10, () -> {
            List<QmpConsoleViewModel.Entry> t = transcript(robot);
            return t.size() >= 2 && t.get(t.size() - 2).title().equals("→ " + command)
                    && t.get(t.size() - 1).kind() != QmpConsoleViewModel.Kind.COMMAND;
        });
        List<QmpConsoleViewModel.Entry> t = transcript(robot);
        return t.get(t.size() - 1);
    }

    private static String shownText(FxRobot robot, String selector) {
        return robot.lookup(selector).queryAll().stream().filter(Node::isVisible)
                .map(n -> ((Label) n).getText()).reduce("", (a, b) -> a + "\n" + b);
    }

    @Test
    void theConsoleSendsACommandAndShowsTheAnswerOrTheError(FxRobot robot) throws Exception {
        ready(robot);
        run(robot, "query-name");
        QmpConsoleViewModel.Entry answer = answerTo(robot, "query-name");
        assertThat(answer.kind()).isEqualTo(QmpConsoleViewModel.Kind.RETURN);
        assertThat(answer.body()).isEqualTo("{\n  \"name\": \"demo-vm\"\n}");
        waitFor("the answer on screen", 5, () -> shownText(robot, ".entry-return .entry-body").contains("\"name\": \"demo-vm\""));

        run(robot, "query-nam");
        QmpConsoleViewModel.Entry error = answerTo(robot, "query-nam");
        assertThat(error.kind()).isEqualTo(QmpConsoleViewModel.Kind.ERROR);
        assertThat(error.body()).contains("\"class\": \"CommandNotFound\"", "\"desc\": \"The command query-nam has not been found\"");
        waitFor("the error on screen", 5, () -> shownText(robot, ".entry-error .entry-title").contains("CommandNotFound"));

        // Up brings the last line back
        robot.clickOn("#qmpCommandLine").type(KeyCode.UP);
        assertThat(robot.lookup("#qmpCommandLine").queryAs(TextField.class).getText()).isEqualTo("query-nam");

        // the wire trace saw both, as sent, with the ids the client gave them
        @SuppressWarnings("unchecked")
        List<WireTraceViewModel.Entry> wire = List.copyOf(((ListView<WireTraceViewModel.Entry>) robot.lookup("#wireList").query()).getItems());
        assertThat(wire.get(0).note()).contains("greeting");
        assertThat(wire).anyMatch(e -> e.sent() && e.json().matches("\\{\"execute\": \"query-name\", \"id\": \\d+}"));
        assertThat(wire).anyMatch(e -> !e.sent() && e.json().startsWith("{\"id\": ") && e.json().contains("CommandNotFound"));
    }

    @Test
    void completionOffersCommandsThenTheirArguments(FxRobot robot) throws Exception {
        ready(robot);
        robot.clickOn("#qmpCommandLine").write("query-na");
        waitFor("the completion list", 5, () -> robot.lookup("#qmpCompletions").tryQuery().map(Node::isVisible).orElse(false));
        @SuppressWarnings("unchecked")
        ListView<Completer.Completion> list = robot.lookup("#qmpCompletions").queryAs(ListView.class);
        assertThat(list.getItems()).extracting(Completer.Completion::label).contains("query-named-block-nodes");

        // pick it with Down and Enter: the command is completed and its argument offered
        int at = list.getItems().stream().map(Completer.Completion::label).toList().indexOf("query-named-block-nodes");
        for (int i = 0; i < at; i++) {
            robot.type(KeyCode.DOWN);
        }
        robot.type(KeyCode.ENTER);
        TextField line = robot.lookup("#qmpCommandLine").queryAs(TextField.class);
        assertThat(line.getText()).isEqualTo("query-named-block-nodes ");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(list.getItems()).extracting(Completer.Completion::text).containsExactly("flat=");
        robot.type(KeyCode.TAB);
        assertThat(line.getText()).isEqualTo("query-named-block-nodes flat=");
        robot.write("t").type(KeyCode.TAB);
        assertThat(line.getText()).isEqualTo("query-named-block-nodes flat=true ");
        robot.type(KeyCode.ENTER);
        QmpConsoleViewModel.Entry answer = answerTo(robot, "query-named-block-nodes");
        assertThat(answer.kind()).isEqualTo(QmpConsoleViewModel.Kind.RETURN);
        assertThat(answer.body()).contains("\"node-name\": \"disk0\"");
    }

    @Test
    void theEventLogShowsWhatTheVmSends(FxRobot robot) throws Exception {
        ready(robot);
        run(robot, "stop");
        answerTo(robot, "stop");
        run(robot, "cont");
        answerTo(robot, "cont");
        robot.clickOn("Events");
        @SuppressWarnings("unchecked")
        TableView<EventLogViewModel.Entry> table = robot.lookup("#eventTable").queryAs(TableView.class);
        waitFor("STOP and RESUME", 5, () -> table.getItems().size() >= 2);
        assertThat(table.getItems()).extracting(EventLogViewModel.Entry::name).containsSequence("STOP", "RESUME");
        assertThat(table.getItems().get(0).time()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");

        robot.clickOn("#eventTextFilter").write("resu");
        assertThat(table.getItems()).extracting(EventLogViewModel.Entry::name).containsExactly("RESUME");
        assertThat(robot.lookup("#eventCount").queryAs(Label.class).getText()).startsWith("1 of ");
        assertThat(robot.lookup(".table-row-cell .table-cell").queryAll().stream()
                .anyMatch(c -> c instanceof javafx.scene.control.TableCell<?, ?> cell && "RESUME".equals(cell.getText()))).isTrue();
    }

    @Test
    void theInspectorShowsAClickedNodeAndEditsAnIothread(FxRobot robot) throws Exception {
        ready(robot);
        robot.clickOn(card(robot, "disk0"));
        waitFor("the node's fields", 5, () -> robot.lookup("#inspector-node-name").tryQuery().isPresent());
        assertThat(robot.lookup("#inspectorTitle").queryAs(Label.class).getText()).isEqualTo("disk0");
        assertThat(robot.lookup("#inspector-node-name").queryAs(TextField.class).getText()).isEqualTo("disk0");
        assertThat(robot.lookup("#inspector-drv").queryAs(TextField.class).getText()).isEqualTo("raw");
        assertThat(robot.lookup("#inspector-drv").queryAs(TextField.class).isEditable()).isFalse();

        robot.clickOn("#laneHeader-iothread0");
        waitFor("the IOThread's fields", 5, () -> robot.lookup("#inspector-poll-max-ns").tryQuery().isPresent());
        assertThat(robot.lookup("#inspectorTitle").queryAs(Label.class).getText()).isEqualTo("IOThread iothread0");
        TextField poll = robot.lookup("#inspector-poll-max-ns").queryAs(TextField.class);
        assertThat(poll.getText()).isEqualTo("32768");
        robot.clickOn(poll).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("16384").type(KeyCode.ENTER);
        waitFor("the edit's outcome", 10, () -> robot.lookup("#inspectorMessage").queryAs(Label.class).getText()
                .equals("Set poll-max-ns of /objects/iothread0 to 16384."));
        // the graph was read again: the sheet and the lane show the VM's new value
        waitFor("the re-read", 10, () -> robot.lookup("#inspector-poll-max-ns").queryAs(TextField.class).getText().equals("16384"));

        run(robot, "qom-get path=/objects/iothread0 property=poll-max-ns");
        assertThat(answerTo(robot, "qom-get").body()).isEqualTo("16384");

        // a value the VM refuses: its own error, and the field shows the VM's value again
        TextField again = robot.lookup("#inspector-aio-max-batch").queryAs(TextField.class);
        robot.clickOn(again).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("-3").type(KeyCode.ENTER);
        waitFor("the refusal", 10, () -> robot.lookup("#inspectorMessage").queryAs(Label.class).getText().contains("failed"));
        assertThat(robot.lookup("#inspectorMessage").queryAs(Label.class).getText())
                .isEqualTo("qom-set aio-max-batch failed: GenericError: aio-max-batch value must be in range [0, 9223372036854775807]");
        assertThat(robot.lookup("#inspector-aio-max-batch").queryAs(TextField.class).getText()).isEqualTo("0");
    }

    @Test
    void exportsTheGraphAsDotAndPng(FxRobot robot, @TempDir Path dir) throws Exception {
        ready(robot);
        robot.interact(() -> app.controller().setExportTarget((title, extension, suggested) -> dir.resolve(suggested)));
        robot.clickOn("#graphCanvas");

        robot.press(KeyCode.CONTROL, KeyCode.E).release(KeyCode.E, KeyCode.CONTROL);
        Path dot = dir.resolve("demo-vm-block-graph.dot");
        waitFor("the DOT file", 5, () -> Files.exists(dot));
        String text = Files.readString(dot);
        assertThat(text).startsWith("// Block graph exported by BlockDeck").contains("digraph \"demo-vm\"",
                "subgraph \"cluster_iothread0\"", "\"node:disk0\" -> \"node:null0\" [label=\"file\"");
        assertThat(robot.lookup("#statusMessage").queryAs(Label.class).getText()).isEqualTo("Exported the block graph as DOT to " + dot);
        if (dotAvailable()) {
            Process p = new ProcessBuilder("dot", "-Tsvg", dot.toString()).start();
            String svg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("dot -Tsvg said: %s", err).isZero();
            assertThat(svg).contains("<svg", "disk0", "iothread1");
        } else {
            System.err.println("ConsolePanelsWindowTest: Graphviz 'dot' is not installed (apt-get install graphviz): "
                    + "the exported DOT was not rendered");
        }

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.E).release(KeyCode.E, KeyCode.SHIFT, KeyCode.CONTROL);
        Path png = dir.resolve("demo-vm-block-graph.png");
        waitFor("the PNG file", 5, () -> Files.exists(png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a readable PNG").isNotNull();
        assertThat(image.getWidth()).isGreaterThan(300);
        assertThat(image.getHeight()).isGreaterThan(150);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("a drawing, not a blank").hasSizeGreaterThan(5);
        assertThat(robot.lookup("#statusMessage").queryAs(Label.class).getText()).startsWith("Exported the block graph as PNG (");
    }

    private static boolean dotAvailable() {
        try {
            Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
