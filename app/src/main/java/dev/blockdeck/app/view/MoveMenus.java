package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.move.MoveChoices;
import dev.blockdeck.app.viewmodel.MoveViewModel;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Moving a drive without dragging it: "Move to IOThread ▸ lanes" in a card's context menu and in the Edit menu, and
 * the same choice as a popup at the selected card (Edit's Shortcut+M; Up/Down, Enter, Esc). Every item calls
 * {@link MoveViewModel#drop} as a drag's release does, so the planner, the history and the errors are the drag's.
 */
final class MoveMenus {

    static final String MENU_TEXT = "Move to IOThread";
    private static final long FOLLOW_NANOS = 20_000_000_000L;

    private final GraphCanvas canvas;
    private final MoveViewModel moves;
    private ContextMenu chooser;

    MoveMenus(GraphCanvas canvas, MoveViewModel moves) {
        this.canvas = canvas;
        this.moves = moves;
    }

    /** The card's "Move to IOThread" submenu, or null when the card moves no drive. */
    Menu submenu(String key) {
        return moves.choices(key).map(c -> {
            Menu menu = new Menu(MENU_TEXT, new FontIcon("fth-shuffle"));
            menu.setId("cardMoveMenu");
            menu.getItems().setAll(items(c, "moveTo-"));
            return menu;
        }).orElse(null);
    }

    /** Fills the Edit menu's submenu for the selected card (when the Edit menu opens); off for no drive. */
    void fill(Menu menu) {
        Optional<MoveChoices> c = moves.choices(canvas.selectedKeyProperty().get());
        menu.getItems().setAll(c.map(x -> items(x, "editMoveTo-")).orElse(List.of()));
        menu.setDisable(c.isEmpty());
        menu.setText(c.map(x -> "Move " + x.label() + " to IOThread").orElse(MENU_TEXT));
    }

    /**
     * The keyboard's way: the lanes as a popup under the selected card, the first other lane highlighted, so that
     * Enter moves the drive there (Up/Down choose another, Esc closes). Without a drive selected a notice says what to select.
     */
    void choose() {
        String key = canvas.selectedKeyProperty().get();
        Optional<MoveChoices> found = moves.choices(key);
        if (found.isEmpty()) {
            moves.explainNoChoice(key);
            return;
        }
        if (chooser != null) {
            chooser.hide();
        }
        Node card = canvas.anchor(key);
        if (card == null || !inView(card)) {
            canvas.reveal(key);
            card = canvas.anchor(key);
        }
        // no title item: JavaFX's arrow keys stop on every item, a title would be one more stop
        chooser = new ContextMenu(items(found.get(), "chooseMoveTo-").toArray(MenuItem[]::new));
        chooser.setId("moveChooser");
        ContextMenu shown = chooser;
        // after the menu's own handling of its showing, which puts its highlight back where it starts
        chooser.setOnShown(e -> Platform.runLater(() -> focusFirstTarget(shown)));
        if (card != null && card.getScene() != null) {
            Bounds b = card.localToScreen(card.getBoundsInLocal());
            chooser.show(card, b.getMinX(), b.getMaxY() + 2);
        } else {
            Bounds b = canvas.localToScreen(canvas.getBoundsInLocal());
            chooser.show(canvas, b.getCenterX(), b.getCenterY());
        }
    }

    /**
     * Brings the card into view once it is drawn in its new lane: chosen from a menu, the lane it goes to may be
     * out of view (a drag's is not), and the keyboard user would lose the card. Gives up after a while.
     */
    private void follow(String key, String iothread) {
        long until = System.nanoTime() + FOLLOW_NANOS;
        InvalidationListener[] self = new InvalidationListener[1];
        self[0] = o -> {
            GraphLayout layout = canvas.graphLayout();
            boolean moved = layout != null && layout.state().node(key)
                    .map(n -> Objects.equals(n.placement().iothread(), iothread)).orElse(false);
            if (moved || System.nanoTime() > until) {
                canvas.drawCountProperty().removeListener(self[0]);
            }
            Node card = moved ? canvas.anchor(key) : null;
            if (moved && (card == null || !inView(card))) {
                canvas.reveal(key);
            }
        };
        canvas.drawCountProperty().addListener(self[0]);
    }

    private boolean inView(Node card) {
        Bounds c = card.localToScreen(card.getBoundsInLocal());
        Bounds v = canvas.localToScreen(canvas.getBoundsInLocal());
        return c != null && v != null && v.contains(c.getCenterX(), c.getCenterY());
    }

    /** One item per lane; the drive's own lane is shown, off, so the list reads like the graph. */
    private List<MenuItem> items(MoveChoices c, String idPrefix) {
        List<MenuItem> items = new ArrayList<>();
        for (MoveChoices.Target t : c.targets()) {
            MenuItem item = new MenuItem(t.current() ? t.title() + "  (here)" : t.title(),
                    new FontIcon(t.iothread() == null ? "fth-home" : "fth-cpu"));
            item.setMnemonicParsing(false);
            item.setId(idPrefix + t.laneId());
            item.setDisable(t.current());
            item.setOnAction(e -> {
                moves.drop(c.key(), t.iothread());
                follow(c.key(), t.iothread());
            });
            items.add(item);
        }
        return items;
    }

    /**
     * Highlights the first lane that can be chosen, so that Enter takes it. The menu keeps its own notion of the
     * highlighted item, moved by the arrow keys (a popup's items cannot simply be given the focus), so it is sent
     * Down until that item is the one highlighted; at least once, as its highlight may start on none.
     */
    private static void focusFirstTarget(ContextMenu menu) {
        String target = menu.getItems().stream().filter(i -> !i.isDisable()).map(MenuItem::getId).findFirst()
                .orElse(null);
        if (menu.getSkin() == null || target == null) {
            return;
        }
        Node content = menu.getSkin().getNode();
        for (int i = 0; i <= 2 * menu.getItems().size(); i++) {
            content.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.DOWN, false, false, false, false));
            Node now = content.getScene() == null ? null : content.getScene().getFocusOwner();
            if (now != null && target.equals(now.getId())) {
                return;
            }
        }
    }
}
