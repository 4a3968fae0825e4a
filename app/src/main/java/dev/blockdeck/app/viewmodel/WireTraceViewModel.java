package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.WireMessage;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * The wire trace tab: every QMP message the console sent or received, as the JSON text on the wire, with a
 * text filter. Threading: the lists change on {@code fx}, in batches.
 */
public final class WireTraceViewModel implements SessionPart {

    /** @param note why the entry is not a plain capture (the greeting), or empty */
    public record Entry(String time, boolean sent, String json, String note) {
        public String arrow() {
            return sent ? "→" : "←";
        }
    }

    static final int MAX_ENTRIES = 5000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final ObservableList<Entry> all = FXCollections.observableArrayList();
    private final FilteredList<Entry> shown = new FilteredList<>(all);
    private final StringProperty filter = new SimpleStringProperty("");
    private final FxBatch<Entry> batch;
    private volatile Session session;

    public WireTraceViewModel(Executor fx) {
        this.batch = new FxBatch<>(fx, entries -> BoundedList.append(all, entries, MAX_ENTRIES));
        filter.addListener((o, a, text) -> shown.setPredicate(predicate(text)));
    }

    static java.util.function.Predicate<Entry> predicate(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String needle = text.strip().toLowerCase(Locale.ROOT);
        return e -> e.json().toLowerCase(Locale.ROOT).contains(needle);
    }

    @Override
    public void attach(Session s) {
        session = s;
        s.addWireListener(m -> {
            if (session == s) {
                batch.add(new Entry(TIME.format(m.time()), m.direction() == WireMessage.Direction.SENT, m.json(), m.note()));
            }
        });
    }

    @Override
    public void detach(String why) {
        session = null;
    }

    public void clear() {
        all.clear();
    }

    /** Everything kept (the newest {@value #MAX_ENTRIES}). */
    public ObservableList<Entry> all() {
        return all;
    }

    /** What the filter lets through. */
    public ObservableList<Entry> shown() {
        return shown;
    }

    /** Case-insensitive text the JSON must contain; empty shows all. */
    public StringProperty filterProperty() {
        return filter;
    }

    /** The shown messages as lines, {@code → {...}}, for the clipboard. */
    public String shownAsText() {
        StringBuilder b = new StringBuilder();
        for (Entry e : List.copyOf(shown)) {
            b.append(e.time()).append(' ').append(e.arrow()).append(' ').append(e.json()).append('\n');
        }
        return b.toString();
    }
}
