package dev.blockdeck.app.view;

import dev.blockdeck.app.io.IoHistory;
import dev.blockdeck.app.io.IoLines;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.shape.Line;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The I/O tab's two line charts, IOPS and throughput (MiB/s), over the last minute: per drive or IOThread a read
 * line above zero and a write line below it (dashed), both in the series' colour; one legend under both charts
 * names the colours and says which side is which. Lines keep their chart series while their name stays.
 */
final class IoCharts {

    private final Chart iops;
    private final Chart throughput;
    private final FlowPane legend;
    private List<IoLines.Key> shownKeys = List.of();

    IoCharts(HBox into, FlowPane legend) {
        iops = new Chart("ioIopsChart", "IOPS", "requests/s");
        throughput = new Chart("ioThroughputChart", "Throughput", "MiB/s");
        into.getChildren().setAll(iops.chart, throughput.chart);
        this.legend = legend;
        showLegend(List.of());
    }

    void show(IoLines.Charts charts) {
        iops.show(charts.iops());
        throughput.show(charts.throughput());
        if (!charts.legend().equals(shownKeys)) {
            showLegend(charts.legend());
        }
    }

    /** A swatch per series, then what solid and dashed mean; "no rates yet" until there are lines. */
    private void showLegend(List<IoLines.Key> keys) {
        shownKeys = keys;
        List<javafx.scene.Node> items = new ArrayList<>();
        for (IoLines.Key k : keys) {
            Region swatch = new Region();
            swatch.getStyleClass().add("io-swatch");
            swatch.setStyle(colour("-fx-background-color", k.colour()));
            Label item = new Label(k.series(), swatch);
            item.setMnemonicParsing(false);
            item.getStyleClass().add("io-legend-item");
            item.setUserData(k.series());
            items.add(item);
        }
        if (!keys.isEmpty()) {
            items.add(key("reads, above 0", "io-key-read"));
            items.add(key("writes, below 0", "io-key-write"));
        }
        legend.getChildren().setAll(items);
    }

    private static Label key(String text, String styleClass) {
        Line sample = new Line(0, 0, 18, 0);
        sample.getStyleClass().addAll("io-key-line", styleClass);
        Label l = new Label(text, sample);
        l.getStyleClass().add("io-legend-key");
        return l;
    }

    /** An inline style with the chart colour {@code -io-line-N} (defined by io.css for both themes). */
    private static String colour(String property, int colour) {
        return property + ": -io-line-" + (colour == IoLines.IDLE ? "idle" : String.valueOf(colour)) + ";";
    }

    private static final class Chart {
        final LineChart<Number, Number> chart;
        final Map<String, XYChart.Series<Number, Number>> byName = new LinkedHashMap<>();

        Chart(String id, String title, String unit) {
            NumberAxis x = new NumberAxis(-IoHistory.WINDOW_SECONDS, 0, 10);
            x.setAutoRanging(false);
            x.setLabel("seconds");
            x.setMinorTickVisible(false);
            NumberAxis y = new NumberAxis();
            y.setForceZeroInRange(true);
            // which side is which the legend says: "writes · unit · reads" did not fit a small chart's height
            y.setLabel(unit);
            y.setMinorTickVisible(false);
            y.setTickLabelFormatter(magnitudes(y));
            chart = new LineChart<>(x, y);
            chart.setId(id);
            chart.setTitle(title);
            chart.setAnimated(false);
            chart.setCreateSymbols(false);
            chart.setLegendVisible(false);
            chart.getStyleClass().add("io-chart");
            chart.setMinSize(200, 120);
            chart.setPrefSize(400, 200);
            HBox.setHgrow(chart, Priority.ALWAYS);
        }

        /** Writes are drawn below zero, but 300 writes/s are not "-300": the ticks show magnitudes. */
        private static StringConverter<Number> magnitudes(NumberAxis axis) {
            StringConverter<Number> plain = new NumberAxis.DefaultFormatter(axis);
            return new StringConverter<>() {
                @Override
                public String toString(Number n) {
                    return plain.toString(Math.abs(n.doubleValue()));
                }

                @Override
                public Number fromString(String s) {
                    return plain.fromString(s);
                }
            };
        }

        void show(List<IoLines.Line> lines) {
            Set<String> names = new HashSet<>();
            lines.forEach(l -> names.add(l.name()));
            // lines gone (a drive deleted, the other grouping) leave; the others keep their series
            List<String> gone = new ArrayList<>(byName.keySet());
            gone.removeAll(names);
            gone.forEach(n -> chart.getData().remove(byName.remove(n)));
            for (IoLines.Line l : lines) {
                List<XYChart.Data<Number, Number>> points = new ArrayList<>(l.points().size());
                l.points().forEach(p -> points.add(new XYChart.Data<>(p.secondsAgo(), p.value())));
                XYChart.Series<Number, Number> series = byName.get(l.name());
                if (series == null) {
                    series = new XYChart.Series<>();
                    series.setName(l.name());
                    byName.put(l.name(), series);
                    series.getData().setAll(points);
                    chart.getData().add(series);
                } else {
                    series.getData().setAll(points);
                }
                style(series, l);
            }
        }

        /**
         * The line's colour and dash as an inline style: LineChart resets a series line's style classes whenever
         * the list of series changes, its inline style it leaves alone.
         */
        private static void style(XYChart.Series<Number, Number> series, IoLines.Line l) {
            if (series.getNode() == null) {
                return;
            }
            String style = colour("-fx-stroke", l.colour())
                    + (l.direction() == IoLines.Direction.WRITE ? " -fx-stroke-dash-array: 6 3;" : "");
            if (!style.equals(series.getNode().getStyle())) {
                series.getNode().setStyle(style);
            }
        }
    }
}
