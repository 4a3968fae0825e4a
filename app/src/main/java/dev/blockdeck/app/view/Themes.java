package dev.blockdeck.app.view;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.blockdeck.app.settings.Theme;
import javafx.application.Application;
import javafx.scene.Parent;

/**
 * Applies a {@link Theme}: AtlantaFX's Primer stylesheet as the application's user-agent stylesheet (so popups,
 * menus and dialogs follow too), and {@code theme-light} / {@code theme-dark} on the window's root for the few
 * colours of ours that are not the theme's looked-up colours (the graph's kind stripes).
 */
public final class Themes {

    public static final String LIGHT_CLASS = "theme-light";
    public static final String DARK_CLASS = "theme-dark";

    private Themes() {
    }

    /** The AtlantaFX stylesheet of {@code theme}. */
    public static String userAgentStylesheet(Theme theme) {
        return theme == Theme.DARK ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet();
    }

    /** Sets the application-wide stylesheet; call before the first window loads, and on every switch. */
    public static void applyToApplication(Theme theme) {
        Application.setUserAgentStylesheet(userAgentStylesheet(theme));
    }

    /** Marks a window's root with the theme (FX thread). */
    public static void mark(Parent root, Theme theme) {
        root.getStyleClass().removeAll(LIGHT_CLASS, DARK_CLASS);
        root.getStyleClass().add(theme == Theme.DARK ? DARK_CLASS : LIGHT_CLASS);
    }

    /** Both at once (FX thread). */
    public static void apply(Parent root, Theme theme) {
        applyToApplication(theme);
        mark(root, theme);
    }
}
