package dev.blockdeck.app.settings;

/** Where the window was and how big, in screen coordinates; {@code maximized} wins over the rest when shown. */
public record WindowBounds(double x, double y, double width, double height, boolean maximized) {

    /** Sizes smaller than this are not restored (a window squeezed to nothing is a mistake to repeat). */
    public static final double MIN_WIDTH = 720;
    public static final double MIN_HEIGHT = 420;

    /** True when the numbers make a window worth restoring. */
    public boolean usable() {
        return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(width) && Double.isFinite(height)
                && width >= MIN_WIDTH && height >= MIN_HEIGHT;
    }
}
