package dev.blockdeck.app;

import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Drags graph cards onto lanes as a user would, and reads where cards are drawn (by geometry, not by model). */
final class DragRobot {

    private final FxRobot robot;

    DragRobot(FxRobot robot) {
        this.robot = robot;
    }

    static void waitFor(String what, long seconds, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    /** The drawn card of a vertex key, or null. */
    Node card(String key) {
        return robot.lookup(".node-card").queryAll().stream()
                .filter(c -> key.equals(c.getProperties().get(TxnRobot.KEY))).findFirst().orElse(null);
    }

    /** The lane group of {@code main-loop} or an iothread id, or null. */
    Node lane(String id) {
        return robot.lookup(".lane").queryAll().stream().filter(l -> id.equals(l.getUserData())).findFirst()
                .orElse(null);
    }

    /** The lane whose band holds the card's centre, by screen geometry; null when in none. */
    String drawnLane(String key) {
        Node card = card(key);
        if (card == null) {
            return null;
        }
        Bounds c = card.localToScreen(card.getBoundsInLocal());
        for (Node lane : robot.lookup(".lane").queryAll()) {
            Node band = ((Group) lane).getChildren().get(0);
            Bounds b = band.localToScreen(band.getBoundsInLocal());
            if (b.contains(c.getCenterX(), c.getCenterY())) {
                return (String) lane.getUserData();
            }
        }
        return null;
    }

    /** A robot for a console whose graph shows the cards of {@code keys}, once they are drawn and settled. */
    static DragRobot whenDrawn(FxRobot robot, String... keys) throws Exception {
        DragRobot drag = new DragRobot(robot);
        waitFor("the graph", 30, () -> java.util.Arrays.stream(keys).allMatch(k -> drag.card(k) != null));
        drag.settled();
        return drag;
    }

    /** Waits for the graph to be drawn and the layout to settle. */
    void settled() throws Exception {
        waitFor("the layout", 10, () -> !robot.lookup("#graphProgress").query().isVisible());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Presses on the card, drags it in a few steps to the middle of the lane's band (right of its header), releases. */
    void dragToLane(String key, String laneId) throws Exception {
        settled();
        Node card = card(key);
        Node band = ((Group) lane(laneId)).getChildren().get(0);
        Bounds b = band.localToScreen(band.getBoundsInLocal());
        Bounds c = card.localToScreen(card.getBoundsInLocal());
        Point2D to = new Point2D(Math.min(c.getCenterX(), b.getMaxX() - 10), b.getCenterY());
        robot.moveTo(new Point2D(c.getCenterX(), c.getCenterY())).press(MouseButton.PRIMARY);
        robot.moveBy(0, to.getY() > c.getCenterY() ? 8 : -8);
        robot.moveTo(new Point2D((c.getCenterX() + to.getX()) / 2, (c.getCenterY() + to.getY()) / 2));
        robot.moveTo(to);
        robot.release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The notice over the graph, or "" when none is shown. */
    String notice() {
        Node bubble = robot.lookup("#graphNoticeBubble").query();
        return bubble.isVisible() ? robot.lookup("#graphNotice").queryAs(Label.class).getText() : "";
    }
}
