package dev.blockdeck.app.view;

import dev.blockdeck.app.move.MoveChoices;
import dev.blockdeck.app.viewmodel.MoveViewModel;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moving a drive without dragging it: "Move to IOThread ▸ lanes" in a card's context menu and in the Edit menu, and
 * the same choice as a popup at the selected card ({@link #SHORTCUT_TEXT}; Up/Down, Enter, Esc). Every item calls
 * {@link MoveViewModel#drop} as a drag's release does, so the planner, the history and the errors are the drag's.
 */
final class MoveMenus {

    static final String MENU_TEXT = "Move to IOThread";
    static final String SHORTCUT_TEXT = "Shortcut+M";

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
     * The keyboard's way: the lanes as a popup under the selected card, the first other lane focused, so that
     * Enter moves the drive there. Without a drive selected a notice says what to select.
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
        MoveChoices c = found.get();
        MenuItem header = new MenuItem("Move " + c.label() + " to:");
        header.setMnemonicParsing(false);
        header.setDisable(true);
        List<MenuItem> all = new ArrayList<>(List.of(header, new SeparatorMenuItem()));
        all.addAll(items(c, "chooseMoveTo-"));
        chooser = new ContextMenu(all.toArray(MenuItem[]::new));
        chooser.setId("moveChooser");
        chooser.setOnShown(e -> focusFirstTarget(chooser));
        if (card != null && card.getScene() != null) {
            Bounds b = card.localToScreen(card.getBoundsInLocal());
            chooser.show(card, b.getMinX(), b.getMaxY() + 2);
        } else {
            Bounds b = canvas.localToScreen(canvas.getBoundsInLocal());
            chooser.show(canvas, b.getCenterX(), b.getCenterY());
        }
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
            item.setOnAction(e -> moves.drop(c.key(), t.iothread()));
            items.add(item);
        }
        return items;
    }

    /** Puts the keyboard on the first lane that can be chosen (a menu's items are focusable nodes once shown). */
    private static void focusFirstTarget(ContextMenu menu) {
        String first = menu.getItems().stream().filter(i -> !i.isDisable() && i.getId() != null)
                .map(MenuItem::getId).findFirst().orElse(null);
        if (menu.getSkin() == null || first == null) {
            return;
        }
        menu.getSkin().getNode().lookupAll(".menu-item").stream().filter(n -> first.equals(n.getId()))
                .findFirst().ifPresent(Node::requestFocus);
    }
}
