package dev.blockdeck.app.view;

import dev.blockdeck.app.txn.TimeAxis;
import dev.blockdeck.app.txn.TimeScale;
import dev.blockdeck.app.txn.TxnRecord;
import dev.blockdeck.app.txn.TxnTrace;
import dev.blockdeck.app.txn.TxnTrace.ActionTrace;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.util.Duration;

import java.util.List;

/**
 * One transaction as a Gantt-like picture: a banner with the outcome, then one row per action with a bar
 * per phase ({@code .phase-bar.phase-prepare} ... {@code .phase-clean}; user data {@code INDEX:PHASE}), its
 * drained sections as thin bands under the bars ({@code .drain-band}), and a marker where a prepare failed
 * ({@code #timelinePrepareFailed}). Without a trace (QEMU) only the outcome and the actions are shown, with a
 * note saying why ({@code #timelineNote}). Rebuilt when the record or the width changes: a few dozen nodes.
 */
public final class TimelineChart extends Pane {

    static final double PAD = 10;
    /** The action names' column: up to this wide, less on a narrow chart. */
    static final double LABEL_WIDTH = 250;
    static final double ROW_HEIGHT = 40;
    static final double BAR_TOP = 7;
    static final double BAR_HEIGHT = 14;
    static final double DRAIN_HEIGHT = 3;
    private static final double BANNER_HEIGHT = 28;
    private static final double AXIS_HEIGHT = 20;

    private TxnRecord record;
    private boolean stretched = true;
    private TimeScale scale = TimeScale.linear(1);
    private double labelWidth = LABEL_WIDTH;
    private double contentHeight = 120;

    public TimelineChart() {
        setId("txnTimeline");
        getStyleClass().add("timeline-chart");
        widthProperty().addListener((o, a, b) -> rebuild());
        rebuild();
    }

    /** Stretched (every phase visible, order readable) or to scale. */
    public void setStretched(boolean on) {
        stretched = on;
        rebuild();
    }

    /** Draws {@code r}; null shows what the timeline is for. */
    public void show(TxnRecord r) {
        record = r;
        rebuild();
    }

    @Override
    protected double computePrefHeight(double width) {
        return contentHeight;
    }

    @Override
    protected double computePrefWidth(double height) {
        return 480;
    }

    private void rebuild() {
        getChildren().clear();
        double w = Math.max(getWidth(), 320);
        double y = PAD;
        Label banner = banner(w);
        banner.relocate(PAD, y);
        getChildren().add(banner);
        y += Math.max(BANNER_HEIGHT, banner.prefHeight(w - 2 * PAD)) + 8;
        if (record == null) {
            finish(y);
            return;
        }
        TxnTrace trace = record.trace();
        if (trace == null && (record.outcome() == TxnRecord.Outcome.COMMITTED
                || record.outcome() == TxnRecord.Outcome.ABORTED)) {
            Label note = label("Outcome only: this VM sent no phase trace (" + TxnTrace.EVENT
                    + " is a BlockDeck engine extension; QEMU has no such event).", "timeline-note");
            note.setId("timelineNote");
            note.setWrapText(true);
            note.setPrefWidth(w - 2 * PAD);
            note.relocate(PAD, y);
            getChildren().add(note);
            y += 40;
        }
        int rows = trace == null ? record.actions().size() : trace.actions().size();
        labelWidth = Math.max(140, Math.min(LABEL_WIDTH, w * 0.3));
        double x0 = PAD + labelWidth;
        double cw = Math.max(60, w - x0 - PAD - 8);
        if (trace != null) {
            scale = stretched ? TimeScale.byOrder(TimeScale.instants(trace)) : TimeScale.linear(trace.spanNs());
            axis(trace.spanNs(), x0, cw, y, rows);
            y += AXIS_HEIGHT;
        }
        for (int i = 0; i < rows; i++) {
            row(i, trace, x0, cw, y + i * ROW_HEIGHT, w);
        }
        y += rows * ROW_HEIGHT + 6;
        if (trace != null) {
            HBox legend = legend();
            legend.relocate(x0, y);
            getChildren().add(legend);
            y += 22;
        }
        finish(y);
    }

    private void finish(double y) {
        contentHeight = y + PAD;
        setMinHeight(contentHeight);
        setPrefHeight(contentHeight);
    }

    private Label banner(double w) {
        Label b = new Label();
        b.setId("timelineBanner");
        b.getStyleClass().add("timeline-banner");
        b.setPrefWidth(w - 2 * PAD);
        b.setMinHeight(BANNER_HEIGHT);
        b.setTextOverrun(OverrunStyle.ELLIPSIS);
        if (record == null) {
            b.setText("No transaction yet. Compose one and press Apply; transactions that other clients or the QMP "
                    + "console run show here too (on the engine).");
            b.getStyleClass().add("empty");
            b.setWrapText(true);
            return b;
        }
        String count = record.actions().size() + (record.actions().size() == 1 ? " action" : " actions");
        String total = record.trace() == null ? "" : " · " + TimeAxis.format(record.trace().totalNs());
        switch (record.outcome()) {
            case COMMITTED -> b.setText("✔  COMMITTED · " + count + total);
            case ABORTED -> b.setText("✖  ABORTED · " + record.errorClass() + ": " + record.error());
            case RUNNING -> b.setText("…  RUNNING · " + count);
            default -> b.setText("?  NO ANSWER · " + record.error());
        }
        b.getStyleClass().add(record.outcome().name().toLowerCase().replace('_', '-'));
        b.setTooltip(tip(b.getText()));
        return b;
    }

    private void axis(long span, double x0, double cw, double y, int rows) {
        List<Long> ticks = TimeAxis.ticks(span, Math.max(3, (int) (cw / 70)));
        double lastLabel = Double.NEGATIVE_INFINITY;
        for (long t : ticks) {
            double x = x0 + scale.x(t) * cw;
            Line line = new Line(x, y + AXIS_HEIGHT - 4, x, y + AXIS_HEIGHT + rows * ROW_HEIGHT);
            line.getStyleClass().add("timeline-tick");
            getChildren().add(line);
            // stretched, ticks crowd where little happened: label only those with room
            if (x - lastLabel >= 48) {
                Label l = label(TimeAxis.format(t), "timeline-tick-label");
                l.relocate(x + 2, y);
                getChildren().add(l);
                lastLabel = x;
            }
        }
    }

    private void row(int i, TxnTrace trace, double x0, double cw, double top, double w) {
        Rectangle stripe = new Rectangle(PAD, top, w - 2 * PAD, ROW_HEIGHT - 2);
        stripe.getStyleClass().addAll("timeline-row", i % 2 == 0 ? "even" : "odd");
        getChildren().add(stripe);

        String type = trace != null ? trace.actions().get(i).type() : record.actions().get(i).type();
        String detail = i < record.actions().size() ? record.actions().get(i).description() : "";
        Label name = label((i + 1) + "  " + type, "timeline-row-label");
        name.setPrefWidth(labelWidth - 12);
        name.setTextOverrun(OverrunStyle.ELLIPSIS);
        name.relocate(PAD + 6, top + 3);
        Label sub = label(detail, "timeline-row-detail");
        sub.setPrefWidth(labelWidth - 12);
        sub.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        sub.relocate(PAD + 6, top + 20);
        if (!detail.isEmpty()) {
            Tooltip t = tip(type + "\n" + detail);
            name.setTooltip(t);
            sub.setTooltip(t);
        }
        getChildren().addAll(name, sub);
        if (trace == null) {
            return;
        }
        ActionTrace a = trace.actions().get(i);
        for (TxnTrace.Span p : a.phases()) {
            double x = x0 + scale.x(p.startNs()) * cw;
            Rectangle bar = new Rectangle(x, top + BAR_TOP, width(p.startNs(), p.endNs(), cw), BAR_HEIGHT);
            bar.getStyleClass().addAll("phase-bar", "phase-" + p.phase());
            bar.setUserData(i + ":" + p.phase());
            Tooltip.install(bar, tip(p.phase() + " of action " + (i + 1) + " (" + a.type() + "): "
                    + TimeAxis.format(p.startNs()) + " → " + TimeAxis.format(p.endNs()) + ", "
                    + TimeAxis.format(p.endNs() - p.startNs())));
            getChildren().add(bar);
        }
        for (int d = 0; d < a.drained().size(); d++) {
            TxnTrace.Drain s = a.drained().get(d);
            double x = x0 + scale.x(s.startNs()) * cw;
            Rectangle band = new Rectangle(x, top + BAR_TOP + BAR_HEIGHT + 3 + d * (DRAIN_HEIGHT + 2),
                    width(s.startNs(), s.endNs(), cw), DRAIN_HEIGHT);
            band.getStyleClass().add("drain-band");
            band.setUserData(i + ":" + s.node());
            Tooltip.install(band, tip("drained section on " + s.node() + ": " + TimeAxis.format(s.startNs()) + " → "
                    + TimeAxis.format(s.endNs()) + " (no new requests reach the node, none in flight)"));
            getChildren().add(band);
        }
        int failed = trace.failedIndex();
        if (i == failed) {
            failedMarker(a, x0, cw, top);
        } else if (failed >= 0 && i > failed) {
            Label l = label("not reached: the transaction aborted before this prepare", "timeline-not-reached");
            l.relocate(x0 + 6, top + BAR_TOP - 1);
            getChildren().add(l);
        }
    }

    /** At least 3 px, so that a phase of a few microseconds is still there to see and hover. */
    private double width(long start, long end, double cw) {
        return Math.max(3, (scale.x(end) - scale.x(start)) * cw);
    }

    private void failedMarker(ActionTrace a, double x0, double cw, double top) {
        a.phase("prepare").ifPresent(p -> {
            double x = x0 + scale.x(p.endNs()) * cw;
            Line line = new Line(x, top + 2, x, top + ROW_HEIGHT - 4);
            line.getStyleClass().add("prepare-failed-line");
            Label mark = label("✕ prepare failed", "prepare-failed");
            mark.setId("timelinePrepareFailed");
            mark.setTooltip(tip(record.error() == null ? "The prepare failed." : record.error()));
            // beside the line, on whichever side has room
            double labelWidth = 110;
            mark.relocate(x + 4 + labelWidth < x0 + cw ? x + 4 : x - 4 - labelWidth, top + BAR_TOP + BAR_HEIGHT + 2);
            getChildren().addAll(line, mark);
        });
    }

    private HBox legend() {
        HBox box = new HBox(12);
        box.getStyleClass().add("timeline-legend");
        for (String phase : TxnTrace.PHASES) {
            box.getChildren().add(swatch(phase, "swatch-" + phase, BAR_HEIGHT - 4));
        }
        box.getChildren().add(swatch("drained", "swatch-drained", DRAIN_HEIGHT));
        return box;
    }

    private static Node swatch(String text, String style, double height) {
        Rectangle r = new Rectangle(16, height);
        r.getStyleClass().addAll("timeline-swatch", style);
        Label l = label(text, "timeline-legend-label");
        l.setGraphic(r);
        return l;
    }

    private static Label label(String text, String style) {
        Label l = new Label(text);
        l.getStyleClass().add(style);
        return l;
    }

    private static Tooltip tip(String text) {
        Tooltip t = new Tooltip(text);
        t.setShowDelay(Duration.millis(200));
        t.setShowDuration(Duration.seconds(30));
        t.setWrapText(true);
        t.setMaxWidth(460);
        return t;
    }
}
