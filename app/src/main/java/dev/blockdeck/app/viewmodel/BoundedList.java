package dev.blockdeck.app.viewmodel;

import javafx.collections.ObservableList;

import java.util.List;

/** Appends to an observable list and drops the oldest entries beyond a limit, in two list changes at most. */
final class BoundedList {

    private BoundedList() {
    }

    static <T> void append(ObservableList<T> list, List<? extends T> items, int limit) {
        list.addAll(items);
        int excess = list.size() - limit;
        if (excess > 0) {
            list.remove(0, excess);
        }
    }
}
