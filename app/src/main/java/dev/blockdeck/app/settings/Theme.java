package dev.blockdeck.app.settings;

/** The console's look: AtlantaFX Primer light or dark. */
public enum Theme {
    LIGHT,
    DARK;

    public Theme toggled() {
        return this == LIGHT ? DARK : LIGHT;
    }
}
