package dev.blockdeck.app.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the console remembers, immutable; {@code with…} return a changed copy.
 *
 * @param window       the window's last bounds, or null (first run: the default size)
 * @param mainDivider  the graph / bottom-tabs divider (0..1), or NaN for the default
 * @param graphDivider the graph / inspector divider (0..1), or NaN for the default
 * @param lastTab      the id of the bottom tab last shown, or null
 * @param recent       the sessions opened last, newest first, at most {@link #MAX_RECENT}, no duplicates
 */
public record Settings(WindowBounds window, Theme theme, double mainDivider, double graphDivider, String lastTab,
                       List<RecentConnection> recent) {

    public static final int MAX_RECENT = 8;
    public static final Settings DEFAULTS = new Settings(null, Theme.LIGHT, Double.NaN, Double.NaN, null, List.of());

    public Settings {
        theme = theme == null ? Theme.LIGHT : theme;
        mainDivider = divider(mainDivider);
        graphDivider = divider(graphDivider);
        List<RecentConnection> unique = new ArrayList<>();
        for (RecentConnection r : recent == null ? List.<RecentConnection>of() : recent) {
            if (r != null && !unique.contains(r) && unique.size() < MAX_RECENT) {
                unique.add(r);
            }
        }
        recent = List.copyOf(unique);
    }

    /** A divider position outside (0, 1) is no position. */
    private static double divider(double d) {
        return d > 0 && d < 1 ? d : Double.NaN;
    }

    public Settings withWindow(WindowBounds w) {
        return new Settings(w, theme, mainDivider, graphDivider, lastTab, recent);
    }

    public Settings withTheme(Theme t) {
        return new Settings(window, t, mainDivider, graphDivider, lastTab, recent);
    }

    public Settings withDividers(double main, double graph) {
        return new Settings(window, theme, main, graph, lastTab, recent);
    }

    public Settings withLastTab(String tab) {
        return new Settings(window, theme, mainDivider, graphDivider, tab, recent);
    }

    /** {@code r} first; an older entry for the same session moves up instead of repeating. */
    public Settings withRecent(RecentConnection r) {
        List<RecentConnection> list = new ArrayList<>();
        list.add(r);
        recent.stream().filter(x -> !x.equals(r)).forEach(list::add);
        return new Settings(window, theme, mainDivider, graphDivider, lastTab, list);
    }

    public Settings withoutRecent(RecentConnection r) {
        return new Settings(window, theme, mainDivider, graphDivider, lastTab,
                recent.stream().filter(x -> !x.equals(r)).toList());
    }
}
