package dev.blockdeck.app;

import dev.blockdeck.app.settings.WindowBounds;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The window's place and size between runs. While maximised a stage reports the screen's size, so the last
 * normal bounds are tracked and saved with the maximised flag: unmaximising next time goes back to them.
 */
final class WindowState {

    private final Stage stage;
    private double x = Double.NaN;
    private double y = Double.NaN;
    private double width = Double.NaN;
    private double height = Double.NaN;

    WindowState(Stage stage) {
        this.stage = stage;
        stage.xProperty().addListener((o, a, b) -> track());
        stage.yProperty().addListener((o, a, b) -> track());
        stage.widthProperty().addListener((o, a, b) -> track());
        stage.heightProperty().addListener((o, a, b) -> track());
    }

    private void track() {
        if (!stage.isMaximized() && !stage.isIconified() && !stage.isFullScreen()) {
            x = stage.getX();
            y = stage.getY();
            width = stage.getWidth();
            height = stage.getHeight();
        }
    }

    /**
     * Places and sizes the stage (before it is shown) as saved, and maximises it if it was; false when there is
     * nothing usable to restore, or it would be off every screen (a monitor gone since), and the default stays.
     */
    boolean restore(WindowBounds saved) {
        if (saved == null || !saved.usable() || Screen.getScreensForRectangle(saved.x(), saved.y(),
                saved.width(), saved.height()).isEmpty()) {
            return false;
        }
        stage.setX(saved.x());
        stage.setY(saved.y());
        stage.setWidth(saved.width());
        stage.setHeight(saved.height());
        stage.setMaximized(saved.maximized());
        return true;
    }

    /** What to save, or null when the window was never shown at a usable size. */
    WindowBounds capture() {
        track();
        WindowBounds b = new WindowBounds(x, y, width, height, stage.isMaximized());
        return b.usable() ? b : null;
    }
}
