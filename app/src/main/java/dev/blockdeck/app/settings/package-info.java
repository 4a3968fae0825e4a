/**
 * What the console remembers between runs (window, theme, dividers, last tab, recent connections) and where it
 * keeps it: a small JSON file under {@code $XDG_CONFIG_HOME/blockdeck}. Plain Java, no JavaFX.
 */
package dev.blockdeck.app.settings;
