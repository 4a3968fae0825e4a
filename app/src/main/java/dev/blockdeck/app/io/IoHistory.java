package dev.blockdeck.app.io;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@link #WINDOW_SECONDS} seconds of rates, one series per name (a drive or a context). A rate is the
 * average over its interval, so a series is drawn as steps: a point where the interval starts and one where it
 * ends, both at its rate. An interval longer than the poll's (the tab was hidden a while) is a long flat step, not
 * a slope that was never measured.
 */
public final class IoHistory {

    public static final int WINDOW_SECONDS = 60;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;

    /** One point, {@code secondsAgo} before the newest sample (≤ 0), of the interval whose rate it carries. */
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

    private record Stamped(long startNanos, long nanos, IoRate rate) {
    }

    private final Map<String, Deque<Stamped>> series = new LinkedHashMap<>();
    private long newest = Long.MIN_VALUE;

    /** Adds the rates of the interval from {@code startNanos} to {@code nanos}; drops what ended before the window. */
    public void add(long startNanos, long nanos, Map<String, IoRate> rates) {
        newest = nanos;
        rates.forEach((name, rate) -> series.computeIfAbsent(name, n -> new ArrayDeque<>())
                .addLast(new Stamped(startNanos, nanos, rate)));
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
            List<Point> list = new ArrayList<>(2 * points.size());
            points.forEach(p -> {
                // the window's edge cuts the oldest step
                list.add(new Point(Math.max(-WINDOW_SECONDS, (p.startNanos() - newest) / 1e9), p.rate()));
                list.add(new Point((p.nanos() - newest) / 1e9, p.rate()));
            });
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
