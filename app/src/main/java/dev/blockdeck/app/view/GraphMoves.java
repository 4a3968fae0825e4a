package dev.blockdeck.app.view;

import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.move.ReplugPlan;
import dev.blockdeck.app.viewmodel.IothreadViewModel;
import dev.blockdeck.app.viewmodel.MoveViewModel;
import dev.blockdeck.app.viewmodel.NoticeBoard;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Dialog;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.Pane;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The graph's editing: drive cards dragged onto lanes or moved from a menu or the keyboard ({@link MoveViewModel},
 * {@link MoveMenus}), IOThreads created from the toolbar or a lane's menu and deleted from an IOThread lane's menu
 * ({@link IothreadViewModel}), notices over the graph and the re-plug plan dialog.
 */
final class GraphMoves {

    private final GraphCanvas canvas;
    private final MoveViewModel moves;
    private final IothreadViewModel iothreads;
    private final MoveMenus menus;
    private Dialog<Void> planDialog;

    GraphMoves(GraphCanvas canvas, Pane noticeLayer, Button addIothread, MoveViewModel moves,
               IothreadViewModel iothreads, NoticeBoard notices) {
        this.canvas = canvas;
        this.moves = moves;
        this.iothreads = iothreads;
        this.menus = new MoveMenus(canvas, moves);
        new NoticeOverlay(noticeLayer, canvas, notices);
        canvas.setDriveDrop(moves::canDrag, moves::drop);
        canvas.setLaneMenu(this::laneMenu);
        addIothread.setOnAction(e -> newIothread());
        moves.planProperty().addListener((o, old, plan) -> showPlan(plan));
    }

    /** The menus and the keyboard chooser that move drives. */
    MoveMenus menus() {
        return menus;
    }

    void newIothread() {
        if (iothreads.connected()) {
            IothreadDialogs.create(window(), iothreads);
        }
    }

    private ContextMenu laneMenu(Lane lane) {
        if (!iothreads.connected()) {
            return null;
        }
        MenuItem create = new MenuItem("New IOThread…", new FontIcon("fth-plus"));
        create.setId("laneNewIothread");
        create.setOnAction(e -> newIothread());
        ContextMenu menu = new ContextMenu(create);
        if (lane.iothread() != null) {
            MenuItem delete = new MenuItem("Delete IOThread " + lane.iothread(), new FontIcon("fth-trash-2"));
            delete.setId("laneDeleteIothread");
            delete.setOnAction(e -> IothreadDialogs.delete(window(), iothreads, lane.iothread()));
            menu.getItems().add(delete);
        }
        return menu;
    }

    private void showPlan(ReplugPlan plan) {
        if (planDialog != null) {
            Dialog<Void> old = planDialog;
            planDialog = null;
            old.close();
        }
        if (plan != null) {
            planDialog = PlanDialog.show(window(), plan, () -> {
                if (moves.planProperty().get() == plan) {
                    moves.dismissPlan();
                }
            });
        }
    }

    private Window window() {
        return canvas.getScene() == null ? null : canvas.getScene().getWindow();
    }
}
