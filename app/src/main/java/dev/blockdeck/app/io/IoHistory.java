package dev.blockdeck.app.io;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The last {@link #WINDOW_SECONDS} seconds of rates, one series per name (a drive or a context). */
public final class IoHistory {

    public static final int WINDOW_SECONDS = 60;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;

    /** One point: the rate of the interval that ended {@code secondsAgo} before the newest sample (≤ 0). */
    public record Point(double secondsAgo, IoRate rate) {
    }

    /**
     * One series as the charts draw it.
     *
     * @param latest the rate of the newest interval, or null when the series had none then (a drive gone)
     */
    public record Series(String name, List<Point> points, IoRate latest) {
        public Series {
            points = List.copyOf(points);
        }
    }

    private record Stamped(long nanos, IoRate rate) {
    }

    private final Map<String, Deque<Stamped>> series = new LinkedHashMap<>();
    private long newest = Long.MIN_VALUE;

    /** Adds the rates of an interval ending at {@code nanos} and drops what is older than the window. */
    public void add(long nanos, Map<String, IoRate> rates) {
        newest = nanos;
        rates.forEach((name, rate) -> series.computeIfAbsent(name, n -> new ArrayDeque<>()).addLast(new Stamped(nanos, rate)));
        series.values().forEach(points -> {
            while (!points.isEmpty() && nanos - points.peekFirst().nanos() > WINDOW_NANOS) {
                points.removeFirst();
            }
        });
        series.values().removeIf(Deque::isEmpty);
    }

    /** Every series, in the order first seen, with times relative to the newest interval. */
    public List<Series> snapshot() {
        List<Series> out = new ArrayList<>();
        series.forEach((name, points) -> {
            List<Point> list = new ArrayList<>(points.size());
            points.forEach(p -> list.add(new Point((p.nanos() - newest) / 1e9, p.rate())));
            Stamped last = points.peekLast();
            out.add(new Series(name, list, last != null && last.nanos() == newest ? last.rate() : null));
        });
        return out;
    }

    public void clear() {
        series.clear();
        newest = Long.MIN_VALUE;
    }
}
