package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.EditViewModel;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Window;

import java.util.function.Supplier;

/**
 * Edit › Undo and Redo of the console's changes (drive moves, IOThreads created or deleted): the items name the
 * change they undo or redo, and are off while a change runs. An undo or redo that would delete an IOThread a QEMU
 * still uses is confirmed first, as its deletion from the lane's menu is. Redo answers Shortcut+Y as well as its
 * item's Shortcut+Shift+Z.
 */
final class EditMenu {

    static final KeyCombination REDO_ALT = new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN);

    private EditMenu() {
    }

    /** @param inWindow any node of the window, whose scene gets the extra accelerator */
    static void bind(EditViewModel edits, MenuItem undo, MenuItem redo, Node inWindow) {
        undo.textProperty().bind(edits.undoTextProperty());
        redo.textProperty().bind(edits.redoTextProperty());
        undo.disableProperty().bind(edits.canUndoProperty().not().or(edits.busyProperty()));
        redo.disableProperty().bind(edits.canRedoProperty().not().or(edits.busyProperty()));
        Supplier<Window> window = () -> inWindow.getScene() == null ? null : inWindow.getScene().getWindow();
        undo.setOnAction(e -> confirmed(window.get(), edits.undoWarning(), undo.getText(), edits::undo));
        redo.setOnAction(e -> confirmed(window.get(), edits.redoWarning(), redo.getText(), edits::redo));
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

    private static void confirmed(Window owner, String warning, String what, Runnable action) {
        if (warning.isEmpty()) {
            action.run();
        } else {
            IothreadDialogs.confirm(owner, what, what + "?", warning, action);
        }
    }

    private static void accelerate(Scene scene, MenuItem redo) {
        scene.getAccelerators().put(REDO_ALT, () -> {
            if (!redo.isDisable()) {
                redo.fire();
            }
        });
    }
}
