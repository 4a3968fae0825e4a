package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.MoveViewModel;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/**
 * Edit › Undo and Redo of drive moves: the items name the move they undo or redo, and are off while a move runs.
 * Redo answers Shortcut+Y as well as its item's Shortcut+Shift+Z.
 */
final class EditMenu {

    static final KeyCombination REDO_ALT = new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN);

    private EditMenu() {
    }

    /** @param inWindow any node of the window, whose scene gets the extra accelerator */
    static void bind(MoveViewModel moves, MenuItem undo, MenuItem redo, Node inWindow) {
        undo.textProperty().bind(moves.undoTextProperty());
        redo.textProperty().bind(moves.redoTextProperty());
        undo.disableProperty().bind(moves.canUndoProperty().not().or(moves.busyProperty()));
        redo.disableProperty().bind(moves.canRedoProperty().not().or(moves.busyProperty()));
        undo.setOnAction(e -> moves.undo());
        redo.setOnAction(e -> moves.redo());
        if (inWindow.getScene() != null) {
            accelerate(inWindow.getScene(), redo);
        }
        inWindow.sceneProperty().addListener((o, old, scene) -> {
            if (old != null) {
                old.getAccelerators().remove(REDO_ALT);
            }
            if (scene != null) {
                accelerate(scene, redo);
            }
        });
    }

    private static void accelerate(Scene scene, MenuItem redo) {
        scene.getAccelerators().put(REDO_ALT, () -> {
            if (!redo.isDisable()) {
                redo.fire();
            }
        });
    }
}
