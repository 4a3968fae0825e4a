package dev.blockdeck.app.view;

import javafx.animation.PauseTransition;
import javafx.scene.CacheHint;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.util.Duration;

/**
 * While the zoom changes, the cached cards and edges are scaled as bitmaps instead of being drawn again at
 * every step ({@link CacheHint#SCALE}); once the zoom has been still for a moment they are drawn sharp again
 * ({@link CacheHint#QUALITY}). Panning never redraws them at all.
 */
final class ZoomSettle {

    static final Duration SETTLE = Duration.millis(180);

    private final PauseTransition settle = new PauseTransition(SETTLE);
    private Group zooming;

    /** Called on every zoom step; {@code content} holds the card and edge groups. */
    void zooming(Group content) {
        if (zooming == null) {
            zooming = content;
            hint(content, CacheHint.SCALE);
        }
        settle.setOnFinished(e -> {
            hint(zooming, CacheHint.QUALITY);
            zooming = null;
        });
        settle.playFromStart();
    }

    private static void hint(Group content, CacheHint hint) {
        for (Node group : content.getChildren()) {
            if (group instanceof Group g) {
                for (Node n : g.getChildren()) {
                    if (n.isCache()) {
                        n.setCacheHint(hint);
                    }
                }
            }
        }
    }
}
