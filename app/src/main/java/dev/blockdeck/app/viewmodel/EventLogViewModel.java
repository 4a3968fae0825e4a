package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.qmp.QmpEvent;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The event log tab: every QMP event with the VM's timestamp, its name and data, filtered by name and by
 * text. Threading: the lists change on {@code fx}, in batches.
 */
public final class EventLogViewModel implements SessionPart {

    /** @param data the event's {@code data} in QEMU's one-line JSON; empty when it has none */
    public record Entry(String time, String name, String data) {
    }

    /** The name filter's value for "every event". */
    public static final String ALL = "All events";
    static final int MAX_ENTRIES = 5000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

    private final ObservableList<Entry> all = FXCollections.observableArrayList();
    private final FilteredList<Entry> shown = new FilteredList<>(all);
    private final ObservableList<String> names = FXCollections.observableArrayList(ALL);
    private final StringProperty nameFilter = new SimpleStringProperty(ALL);
    private final StringProperty textFilter = new SimpleStringProperty("");
    private final FxBatch<Entry> batch;
    private volatile Session session;

    public EventLogViewModel(Executor fx) {
        this.batch = new FxBatch<>(fx, this::append);
        nameFilter.addListener((o, a, b) -> refilter());
        textFilter.addListener((o, a, b) -> refilter());
    }

    @Override
    public void attach(Session s) {
        session = s;
        s.addEventListener(e -> {
            if (session == s) {
                batch.add(entry(e));
            }
        });
    }

    @Override
    public void detach(String why) {
        session = null;
    }

    static Entry entry(QmpEvent e) {
        Instant at = Instant.ofEpochSecond(e.seconds(), e.microseconds() * 1000L);
        JsonNode data = e.data();
        return new Entry(TIME.format(at), e.name(), data == null || data.isEmpty() ? "" : JsonText.compact(data));
    }

    private void append(List<Entry> entries) {
        BoundedList.append(all, entries, MAX_ENTRIES);
        for (Entry e : entries) {
            if (!names.contains(e.name())) {
                // "All events" stays first, the names follow sorted
                int at = 1;
                while (at < names.size() && names.get(at).compareTo(e.name()) < 0) {
                    at++;
                }
                names.add(at, e.name());
            }
        }
    }

    private void refilter() {
        shown.setPredicate(predicate(nameFilter.get(), textFilter.get()));
    }

    static Predicate<Entry> predicate(String name, String text) {
        boolean anyName = name == null || name.isEmpty() || ALL.equals(name);
        String needle = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (anyName && needle.isEmpty()) {
            return null;
        }
        return e -> (anyName || e.name().equals(name))
                && (needle.isEmpty() || e.name().toLowerCase(Locale.ROOT).contains(needle)
                || e.data().toLowerCase(Locale.ROOT).contains(needle));
    }

    public void clear() {
        all.clear();
    }

    public ObservableList<Entry> all() {
        return all;
    }

    public ObservableList<Entry> shown() {
        return shown;
    }

    /** {@value #ALL}, then every event name seen, sorted. */
    public ObservableList<String> names() {
        return names;
    }

    public StringProperty nameFilterProperty() {
        return nameFilter;
    }

    /** Case-insensitive text the name or data must contain. */
    public StringProperty textFilterProperty() {
        return textFilter;
    }
}
