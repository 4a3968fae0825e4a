package dev.blockdeck.app.view;

import dev.blockdeck.app.settings.RecentConnection;
import dev.blockdeck.app.viewmodel.SettingsViewModel;
import javafx.collections.ListChangeListener;
import javafx.collections.WeakListChangeListener;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

import java.nio.file.Path;

/**
 * The recent connections, twice: File › Open recent and the sidebar's list. Either reconnects the window; both
 * follow the remembered list.
 */
final class RecentConnectionsView {

    private final SettingsViewModel settings;
    private final Menu menu;
    private final VBox list;
    private final Label title;
    /** Held here and registered weakly: the list outlives this view when the window changes session. */
    private final ListChangeListener<RecentConnection> follow = c -> show();

    RecentConnectionsView(SettingsViewModel settings, Menu menu, VBox list, Label title) {
        this.settings = settings;
        this.menu = menu;
        this.list = list;
        this.title = title;
        settings.recent().addListener(new WeakListChangeListener<>(follow));
        show();
    }

    private void show() {
        menu.getItems().clear();
        list.getChildren().clear();
        int i = 0;
        for (RecentConnection r : settings.recent()) {
            MenuItem item = new MenuItem(r.label());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> settings.open(r));
            menu.getItems().add(item);

            Hyperlink link = new Hyperlink(shortLabel(r));
            link.setId("recent-" + i++);
            link.getStyleClass().add("recent-link");
            link.setGraphic(new FontIcon(r.kind() == RecentConnection.Kind.ATTACH ? "fth-link" : "fth-play-circle"));
            link.setTooltip(new Tooltip("Reconnect: " + r.label()));
            link.setMaxWidth(Double.MAX_VALUE);
            link.setOnAction(e -> settings.open(r));
            list.getChildren().add(link);
        }
        if (!settings.recent().isEmpty()) {
            menu.getItems().add(new SeparatorMenuItem());
            MenuItem clear = new MenuItem("Clear the list");
            clear.setOnAction(e -> settings.recent().stream().toList().forEach(settings::forget));
            menu.getItems().add(clear);
        }
        menu.setDisable(settings.recent().isEmpty());
        title.setVisible(!settings.recent().isEmpty());
        title.setManaged(title.isVisible());
    }

    /** The sidebar is narrow: a file's name, not its whole path. */
    private static String shortLabel(RecentConnection r) {
        String name = r.target().contains("/") ? String.valueOf(Path.of(r.target()).getFileName()) : r.target();
        return (r.kind() == RecentConnection.Kind.ATTACH ? "attach " : "") + name;
    }
}
