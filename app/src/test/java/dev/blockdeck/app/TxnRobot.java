package dev.blockdeck.app;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.txn.ActionKind;
import dev.blockdeck.app.txn.TxnRecord;
import dev.blockdeck.app.viewmodel.ActionRow;
import dev.blockdeck.app.viewmodel.QmpConsoleViewModel;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.shape.Rectangle;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the transaction window tests do with the console, as a user would, and what they read back. */
final class TxnRobot {

    /** GraphCards' property keys (package-private there). */
    static final String KEY = "blockdeck.key";
    static final String LANE = "blockdeck.lane";

    private final FxRobot robot;
    private final MainApp app;

    TxnRobot(FxRobot robot, MainApp app) {
        this.robot = robot;
        this.app = app;
    }

    static void waitFor(String what, long seconds, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    /** The card of a vertex key ({@code backend:drive0}, {@code node:disk0}), or null. */
    Node card(String key) {
        return robot.lookup(".node-card").queryAll().stream()
                .filter(c -> key.equals(c.getProperties().get(KEY))).findFirst().orElse(null);
    }

    /** Every card's key and lane, as drawn. */
    Map<String, String> cards() {
        Map<String, String> m = new TreeMap<>();
        robot.lookup(".node-card").queryAll().forEach(c -> m.put((String) c.getProperties().get(KEY),
                (String) c.getProperties().get(LANE)));
        return m;
    }

    BlockState state() {
        return app.viewModel().graph().stateProperty().get();
    }

    /** Runs a line in the QMP console and waits for its answer. */
    void console(String line) throws Exception {
        robot.clickOn("#consoleTab");
        robot.clickOn("#qmpCommandLine").write(line);
        robot.type(KeyCode.ESCAPE);
        robot.type(KeyCode.ENTER);
        String command = line.split(" ", 2)[0];
        waitFor("the answer to " + command, 10, () -> {
            List<QmpConsoleViewModel.Entry> t = app.viewModel().qmpConsole().transcript();
            return t.size() >= 2 && t.get(t.size() - 2).title().equals("→ " + command)
                    && t.get(t.size() - 1).kind() == QmpConsoleViewModel.Kind.RETURN;
        });
    }

    /**
     * Right-click on a card, then the action in its menu. Monocle turns no right click into a context-menu
     * request (its MouseInput has no menu event, unlike GTK), so then the request a desktop would send is fired
     * at the same point.
     */
    void addFromCard(String key, ActionKind kind) throws Exception {
        graphSettled();
        Node card = card(key);
        robot.rightClickOn(card);
        WaitForAsyncUtils.waitForFxEvents();
        if (!menuShowing()) {
            robot.interact(() -> {
                javafx.geometry.Bounds b = card.localToScreen(card.getBoundsInLocal());
                javafx.geometry.Point2D local = card.screenToLocal(b.getCenterX(), b.getCenterY());
                card.fireEvent(new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED, local.getX(), local.getY(),
                        b.getCenterX(), b.getCenterY(), false, null));
            });
        }
        waitFor("the card's menu", 5, this::menuShowing);
        robot.clickOn(kind.label() + "  (" + kind.type() + ")");
        WaitForAsyncUtils.waitForFxEvents();
    }

    private boolean menuShowing() {
        return robot.listWindows().stream().anyMatch(w -> w instanceof ContextMenu && w.isShowing());
    }

    /** Waits until the graph is neither being read nor laid out, so its cards stay put while clicked. */
    void graphSettled() throws Exception {
        waitFor("a settled graph", 15, () -> !app.viewModel().graph().readingProperty().get()
                && !app.viewModel().graph().layingOutProperty().get() && app.viewModel().graph().layoutProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Click a card, then the action in the Add menu (for the selection). */
    void addForSelection(String key, ActionKind kind) throws Exception {
        if (key != null) {
            graphSettled();
            robot.clickOn(card(key));
        }
        robot.clickOn("#transactionTab");
        robot.clickOn("#txnAdd");
        robot.clickOn(kind.label() + "  (" + kind.type() + ")");
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    List<ActionRow> rows() {
        return List.copyOf(robot.lookup("#txnActions").queryAs(ListView.class).getItems());
    }

    /** Apply, then wait until the timeline shows the answer. */
    TxnRecord apply() throws Exception {
        int before = app.viewModel().transaction().records().size();
        robot.clickOn("#txnApply");
        waitFor("the transaction's outcome", 20, () -> {
            TxnRecord r = app.viewModel().transaction().shownProperty().get();
            return app.viewModel().transaction().records().size() > before && r != null
                    && r.outcome() != TxnRecord.Outcome.RUNNING;
        });
        WaitForAsyncUtils.waitForFxEvents();
        TxnRecord shown = app.viewModel().transaction().shownProperty().get();
        // the timeline may be drawn again meanwhile (its width follows the window's layout after the graph is
        // read again): count its rows on the FX thread, once it has one per action
        waitFor("the timeline drawn", 5, () -> WaitForAsyncUtils.asyncFx(
                () -> robot.lookup(".timeline-row").queryAll().size()).get() == shown.actions().size());
        return shown;
    }

    /** Apply, then wait for a read of the graph that ended after the answer. */
    TxnRecord applyThenReread() throws Exception {
        BlockState before = state();
        TxnRecord r = apply();
        waitFor("the graph read again", 15, () -> state() != before && !app.viewModel().graph().layingOutProperty().get()
                && app.viewModel().graph().layoutProperty().get() != null
                && app.viewModel().graph().layoutProperty().get().state() == state());
        WaitForAsyncUtils.waitForFxEvents();
        return r;
    }

    /** Whether ControlsFX marks a field with {@code message} (its error mark is a label with that tooltip). */
    boolean validationMark(String message) {
        return robot.lookup(n -> n instanceof Label l && l.getTooltip() != null && message.equals(l.getTooltip().getText())
                && l.isVisible()).tryQuery().isPresent();
    }

    String text(String selector) {
        return robot.lookup(selector).queryAs(Label.class).getText();
    }

    /** The timeline's bar of action {@code index}'s {@code phase}, or null. */
    Rectangle bar(int index, String phase) {
        return robot.lookup(".phase-bar").queryAll().stream().filter(n -> (index + ":" + phase).equals(n.getUserData()))
                .map(Rectangle.class::cast).findFirst().orElse(null);
    }

    /** Waits for a read of the graph that started after now to be drawn. */
    void graphReadAgain(Runnable action) throws Exception {
        BlockState before = state();
        action.run();
        waitFor("the graph read again", 15, () -> state() != before && !app.viewModel().graph().layingOutProperty().get()
                && app.viewModel().graph().layoutProperty().get() != null
                && app.viewModel().graph().layoutProperty().get().state() == state());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The node whose file is {@code file}, from the graph's state. */
    GraphNode nodeWithFile(String file) {
        return state().blockNodes().stream().filter(n -> n.file().equals(file) && n.driver().equals("qcow2"))
                .findFirst().orElse(null);
    }
}
