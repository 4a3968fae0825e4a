package dev.blockdeck.app.viewmodel;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** The latest {@link Notice} of the graph's actions (moves, IOThreads); shared by their ViewModels. FX thread. */
public final class NoticeBoard {

    private final SimpleObjectProperty<Notice> latest = new SimpleObjectProperty<>();

    void post(Notice.Kind kind, String text, String anchor) {
        latest.set(new Notice(kind, text, anchor));
    }

    /** The view closed it (or it timed out). */
    public void dismiss(Notice notice) {
        if (latest.get() == notice) {
            latest.set(null);
        }
    }

    public ReadOnlyObjectProperty<Notice> latestProperty() {
        return latest;
    }
}
