package dev.blockdeck.app.view;

import dev.blockdeck.app.io.IoHistory;
import dev.blockdeck.app.io.IoRate;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The I/O tab's two line charts, IOPS and throughput (MiB/s), over the last minute: one line per drive or
 * IOThread, reads and writes together. Lines keep their series (and so their colour) while their name stays.
 */
final class IoCharts {

    private static final double MIB = 1024 * 1024;

    private final Chart iops;
    private final Chart throughput;

    IoCharts(HBox into) {
        iops = new Chart("ioIopsChart", "IOPS", "requests/s", IoRate::iops);
        throughput = new Chart("ioThroughputChart", "Throughput", "MiB/s", r -> r.bytesPerSecond() / MIB);
        into.getChildren().setAll(iops.chart, throughput.chart);
    }

    void show(List<IoHistory.Series> series) {
        iops.show(series);
        throughput.show(series);
    }

    LineChart<Number, Number> iopsChart() {
        return iops.chart;
    }

    private static final class Chart {
        final LineChart<Number, Number> chart;
        final ToDoubleFunction<IoRate> value;
        final Map<String, XYChart.Series<Number, Number>> byName = new LinkedHashMap<>();

        Chart(String id, String title, String unit, ToDoubleFunction<IoRate> value) {
            this.value = value;
            NumberAxis x = new NumberAxis(-IoHistory.WINDOW_SECONDS, 0, 10);
            x.setAutoRanging(false);
            x.setLabel("seconds");
            x.setMinorTickVisible(false);
            NumberAxis y = new NumberAxis();
            y.setForceZeroInRange(true);
            y.setLabel(unit);
            y.setMinorTickVisible(false);
            chart = new LineChart<>(x, y);
            chart.setId(id);
            chart.setTitle(title);
            chart.setAnimated(false);
            chart.setCreateSymbols(false);
            chart.setLegendVisible(true);
            chart.getStyleClass().add("io-chart");
            chart.setMinSize(200, 120);
            chart.setPrefSize(400, 200);
            HBox.setHgrow(chart, Priority.ALWAYS);
        }

        void show(List<IoHistory.Series> list) {
            Set<String> names = new HashSet<>();
            list.forEach(s -> names.add(s.name()));
            // series gone (a drive deleted, the other grouping) leave; the others keep their place and colour
            List<String> gone = new ArrayList<>(byName.keySet());
            gone.removeAll(names);
            gone.forEach(n -> chart.getData().remove(byName.remove(n)));
            for (IoHistory.Series s : list) {
                List<XYChart.Data<Number, Number>> points = new ArrayList<>(s.points().size());
                s.points().forEach(p -> points.add(new XYChart.Data<>(p.secondsAgo(), value.applyAsDouble(p.rate()))));
                XYChart.Series<Number, Number> series = byName.get(s.name());
                if (series == null) {
                    series = new XYChart.Series<>();
                    series.setName(s.name());
                    byName.put(s.name(), series);
                    series.getData().setAll(points);
                    chart.getData().add(series);
                } else {
                    series.getData().setAll(points);
                }
            }
        }
    }
}
