package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.txn.TxnAction;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One row of the transaction composer: the action as edited so far, and what became of it in the last
 * apply ({@link #errorProperty() QEMU's error} when its prepare failed, or a status such as "rolled back").
 * Changed only by {@link TransactionViewModel}, on the FX thread.
 */
public final class ActionRow {

    private final ObjectProperty<TxnAction> action;
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");
    private final StringBinding description;

    ActionRow(TxnAction action) {
        this.action = new SimpleObjectProperty<>(action);
        this.description = Bindings.createStringBinding(() -> this.action.get().description(), this.action);
    }

    public TxnAction action() {
        return action.get();
    }

    void set(TxnAction a) {
        action.set(a);
        error.set("");
        status.set("");
    }

    void outcome(String statusText, String errorText) {
        status.set(statusText);
        error.set(errorText);
    }

    public ReadOnlyObjectProperty<TxnAction> actionProperty() {
        return action;
    }

    /** {@code drive0 → /images/disk0-snap1.qcow2 (qcow2)}. */
    public StringBinding descriptionProperty() {
        return description;
    }

    /** QEMU's error text when this action's prepare failed in the last apply, else empty. */
    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    /** {@code rolled back}, {@code not reached}, or empty. */
    public ReadOnlyStringProperty statusProperty() {
        return status;
    }
}
