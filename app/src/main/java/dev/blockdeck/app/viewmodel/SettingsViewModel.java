package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.settings.RecentConnection;
import dev.blockdeck.app.settings.Settings;
import dev.blockdeck.app.settings.SettingsStore;
import dev.blockdeck.app.settings.Theme;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What the console remembers between runs, for the window: the theme, the recent connections (the File menu's
 * and the sidebar's Recent list, which reconnect) and the layout the window saves when it closes. Every change is
 * written through the {@link SettingsStore} at once, on top of what the file holds then; a write that fails is
 * reported, never thrown.
 *
 * <p>Threading: FX thread only.
 */
public final class SettingsViewModel {

    private final SettingsStore store;
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>();
    private final ObservableList<RecentConnection> recent = FXCollections.observableArrayList();
    private final StringProperty problem = new SimpleStringProperty("");
    private Settings settings;
    private Consumer<RecentConnection> opener = r -> { };

    public SettingsViewModel(SettingsStore store) {
        this.store = store;
        this.settings = store.load();
        if (store.problem() != null) {
            problem.set(store.problem());
        }
        theme.set(settings.theme());
        recent.setAll(settings.recent());
        theme.addListener((o, a, t) -> {
            if (t != null && t != settings.theme()) {
                update(s -> s.withTheme(t));
            }
        });
    }

    /** The settings as last written (or loaded). */
    public Settings current() {
        return settings;
    }

    /**
     * Changes the settings and writes them. The change is applied to what the file holds now, not to what this
     * window read at start: two consoles running at once then keep each other's recent sessions and theme.
     */
    public void update(UnaryOperator<Settings> change) {
        Settings onDisk = store.load();
        settings = change.apply(store.problem() == null ? onDisk : settings);
        if (!recent.equals(settings.recent())) {
            recent.setAll(settings.recent());
        }
        try {
            store.save(settings);
        } catch (IOException | RuntimeException e) {
            problem.set("Could not save the settings to " + store.file() + ": " + ConsoleViewModel.describe(e));
        }
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public void toggleTheme() {
        theme.set(theme.get().toggled());
    }

    /** Newest first. */
    public ObservableList<RecentConnection> recent() {
        return recent;
    }

    /** A session opened and connected: it goes to the top of the list. */
    public void connected(RecentConnection r) {
        if (r != null) {
            update(s -> s.withRecent(r));
        }
    }

    /** Reconnects to a recent session (the window replaces its session with it). */
    public void open(RecentConnection r) {
        opener.accept(r);
    }

    public void forget(RecentConnection r) {
        update(s -> s.withoutRecent(r));
    }

    /** Who reconnects: the application. */
    public void setOpener(Consumer<RecentConnection> opener) {
        this.opener = opener;
    }

    /** Why the settings could not be read or written, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }
}
