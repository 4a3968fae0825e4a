package dev.blockdeck.app.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A time axis in nanoseconds: round tick steps (1, 2, 5 × 10ⁿ) and short labels (µs below 1 ms). */
public final class TimeAxis {

    private TimeAxis() {
    }

    /** The tick step for about {@code ticks} ticks over {@code spanNs}. */
    public static long step(long spanNs, int ticks) {
        double raw = Math.max(1, spanNs) / (double) Math.max(1, ticks);
        long magnitude = 1;
        while (magnitude * 10 <= raw) {
            magnitude *= 10;
        }
        for (long m : new long[] {1, 2, 5, 10}) {
            if (magnitude * m >= raw) {
                return magnitude * m;
            }
        }
        return magnitude * 10;
    }

    /** 0, step, 2·step, ... up to {@code spanNs}. */
    public static List<Long> ticks(long spanNs, int ticks) {
        long step = step(spanNs, ticks);
        List<Long> out = new ArrayList<>();
        for (long t = 0; t <= spanNs; t += step) {
            out.add(t);
        }
        return out;
    }

    /** {@code 0}, {@code 250 µs}, {@code 1.5 ms}, {@code 12 ms}, {@code 2.25 s}. */
    public static String format(long ns) {
        if (ns == 0) {
            return "0";
        }
        if (ns < 1_000) {
            return ns + " ns";
        }
        if (ns < 1_000_000) {
            return trim(ns / 1e3) + " µs";
        }
        if (ns < 1_000_000_000) {
            return trim(ns / 1e6) + " ms";
        }
        return trim(ns / 1e9) + " s";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
