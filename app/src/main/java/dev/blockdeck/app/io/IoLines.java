package dev.blockdeck.app.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * What the I/O charts draw: for every series of rates (a drive or an IOThread), a line of reads and a line of
 * writes, in IOPS and in MiB/s. Reads are drawn above zero and writes below it (the same magnitude, negated), so
 * the two never hide each other however close they are; both lines of a series share its colour, which stays the
 * same while the series is shown. Not thread-safe: the ViewModel uses it on the FX thread.
 */
public final class IoLines {

    /** How many colours the charts have (the stylesheet's {@code -io-line-0} … {@code -io-line-7}). */
    public static final int COLOURS = 8;
    /** The colour of a series with no I/O in the window ({@code -io-line-idle}): colours go to the busy ones. */
    public static final int IDLE = -1;
    private static final double MIB = 1024 * 1024;

    public enum Direction {
        READ("read"), WRITE("write");

        private final String word;

        Direction(String word) {
            this.word = word;
        }

        /** {@code read} or {@code write}, as line names and the legend say it. */
        public String word() {
            return word;
        }
    }

    /** One point: seconds before the newest sample (≤ 0), and the value as drawn (writes negative). */
    public record Point(double secondsAgo, double value) {
    }

    /**
     * One line of a chart.
     *
     * @param name   {@code vblk0 read}: the series' name and the direction
     * @param series the drive or IOThread
     * @param colour 0 … {@link #COLOURS}-1, the same for both lines of a series, or {@link #IDLE}
     */
    public record Line(String name, String series, Direction direction, int colour, List<Point> points) {
        public Line {
            points = List.copyOf(points);
        }
    }

    /** One legend entry: a series and its colour. */
    public record Key(String series, int colour) {
    }

    /** Both charts' lines and their common legend, in the series' order. */
    public record Charts(List<Line> iops, List<Line> throughput, List<Key> legend) {

        public static final Charts EMPTY = new Charts(List.of(), List.of(), List.of());

        public Charts {
            iops = List.copyOf(iops);
            throughput = List.copyOf(throughput);
            legend = List.copyOf(legend);
        }
    }

    /** Series name → colour, for the series shown now. */
    private final Map<String, Integer> colours = new LinkedHashMap<>();

    /**
     * The lines of {@code series}. A busy series shown before keeps its colour, a new one takes the least used;
     * series without any I/O in the window are drawn (and listed, in their place) in {@link #IDLE}, so that twelve
     * drives of which three work do not share eight colours.
     */
    public Charts of(List<IoHistory.Series> series) {
        Set<String> busy = new HashSet<>();
        series.stream().filter(IoLines::busy).forEach(s -> busy.add(s.name()));
        colours.keySet().retainAll(busy);
        List<Line> iops = new ArrayList<>();
        List<Line> throughput = new ArrayList<>();
        List<Key> legend = new ArrayList<>();
        for (IoHistory.Series s : series) {
            int colour = busy.contains(s.name()) ? colours.computeIfAbsent(s.name(), n -> freeColour()) : IDLE;
            legend.add(new Key(s.name(), colour));
            iops.add(line(s, Direction.READ, colour, IoRate::readIops));
            iops.add(line(s, Direction.WRITE, colour, IoRate::writeIops));
            throughput.add(line(s, Direction.READ, colour, r -> r.readBytesPerSecond() / MIB));
            throughput.add(line(s, Direction.WRITE, colour, r -> r.writeBytesPerSecond() / MIB));
        }
        return new Charts(iops, throughput, legend);
    }

    private static boolean busy(IoHistory.Series s) {
        return s.points().stream().anyMatch(p -> p.rate().readIops() > 0 || p.rate().writeIops() > 0
                || p.rate().readBytesPerSecond() > 0 || p.rate().writeBytesPerSecond() > 0);
    }

    public void clear() {
        colours.clear();
    }

    private static Line line(IoHistory.Series s, Direction d, int colour, ToDoubleFunction<IoRate> value) {
        double sign = d == Direction.READ ? 1 : -1;
        List<Point> points = new ArrayList<>(s.points().size());
        // + 0.0 turns a write's -0.0 into 0.0: an idle drive sits on the zero line, not below it
        s.points().forEach(p -> points.add(new Point(p.secondsAgo(), sign * value.applyAsDouble(p.rate()) + 0.0)));
        return new Line(s.name() + " " + d.word(), s.name(), d, colour, points);
    }

    /** The lowest colour no shown series has; when all are taken (more than {@link #COLOURS} series), they repeat. */
    private int freeColour() {
        int[] used = new int[COLOURS];
        colours.values().forEach(c -> used[c]++);
        int best = 0;
        for (int c = 1; c < COLOURS; c++) {
            if (used[c] < used[best]) {
                best = c;
            }
        }
        return best;
    }
}
