package dev.blockdeck.app.view;

import dev.blockdeck.app.model.NodeKind;
import javafx.scene.Group;
import javafx.scene.layout.Background;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

import java.util.EnumMap;
import java.util.Map;

/**
 * The colours the canvas-painted parts of the graph (overview, minimap) use, taken from the stylesheet so they
 * follow graph.css and its themes: one invisible probe region per colour, styled by {@code .palette-*} rules,
 * read back after CSS. Until CSS has run, the light theme's colours.
 */
final class GraphPalette {

    enum Slot {
        BACKEND("palette-kind-backend", "#8250df"),
        JOB("palette-kind-job", "#6e7781"),
        FILTER("palette-kind-filter", "#bc4c00"),
        FORMAT("palette-kind-format", "#0969da"),
        PROTOCOL("palette-kind-protocol", "#1a7f37"),
        CARD("palette-card", "#ffffff"),
        CARD_BORDER("palette-card-border", "#d0d7de"),
        TEXT("palette-text", "#1f2328"),
        EDGE("palette-edge", "#8c959f"),
        ACCENT("palette-accent", "#0969da"),
        LANE_EVEN("palette-lane-even", "#ffffff"),
        LANE_ODD("palette-lane-odd", "#f6f8fa"),
        LANE_HEADER("palette-lane-header", "#eaeef2"),
        VIEWPORT("palette-viewport", "#0969da");

        final String styleClass;
        final Color fallback;

        Slot(String styleClass, String fallback) {
            this.styleClass = styleClass;
            this.fallback = Color.web(fallback);
        }
    }

    private final Group probes = new Group();
    private final Map<Slot, Region> bySlot = new EnumMap<>(Slot.class);

    GraphPalette(Runnable changed) {
        probes.setManaged(false);
        probes.setMouseTransparent(true);
        // in the scene for CSS, never seen: no size, fully transparent
        probes.setOpacity(0);
        for (Slot s : Slot.values()) {
            Region r = new Region();
            r.getStyleClass().addAll("palette-probe", s.styleClass);
            r.backgroundProperty().addListener((o, a, b) -> changed.run());
            bySlot.put(s, r);
            probes.getChildren().add(r);
        }
    }

    /** Add to the scene under the graph view, so graph.css styles the probes. */
    Group probes() {
        return probes;
    }

    Color color(Slot slot) {
        Background bg = bySlot.get(slot).getBackground();
        if (bg != null && !bg.getFills().isEmpty()) {
            Paint p = bg.getFills().get(0).getFill();
            if (p instanceof Color c) {
                return c;
            }
        }
        return slot.fallback;
    }

    Color kind(NodeKind kind) {
        return color(switch (kind) {
            case BACKEND -> Slot.BACKEND;
            case JOB -> Slot.JOB;
            case FILTER -> Slot.FILTER;
            case FORMAT -> Slot.FORMAT;
            case PROTOCOL -> Slot.PROTOCOL;
        });
    }
}
