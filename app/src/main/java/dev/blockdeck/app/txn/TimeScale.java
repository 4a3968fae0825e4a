package dev.blockdeck.app.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a time (ns since the transaction began) goes on the timeline, as a fraction 0..1 of its width.
 * {@link #linear} is to scale. {@link #byOrder} stretches: every gap between two traced instants gets a fixed
 * share on top of its share of the time, so a 3 µs abort next to a 20 ms prepare stays visible and the order
 * of the phases (aborts in reverse) can be read; the axis ticks then fall unevenly, which shows the stretch.
 */
public interface TimeScale {

    double x(long ns);

    static TimeScale linear(long spanNs) {
        long span = Math.max(1, spanNs);
        return ns -> Math.max(0, Math.min(1, ns / (double) span));
    }

    /** The instants of a trace: every phase's and drained section's start and end, 0 and the span. */
    static List<Long> instants(TxnTrace trace) {
        TreeSet<Long> all = new TreeSet<>(List.of(0L, trace.spanNs()));
        for (TxnTrace.ActionTrace a : trace.actions()) {
            for (TxnTrace.Span s : a.phases()) {
                all.add(s.startNs());
                all.add(s.endNs());
            }
            for (TxnTrace.Drain d : a.drained()) {
                all.add(d.startNs());
                all.add(d.endNs());
            }
        }
        return new ArrayList<>(all);
    }

    /** Half the width by time, half shared evenly between the gaps between {@code instants} (sorted, distinct). */
    static TimeScale byOrder(List<Long> instants) {
        int gaps = instants.size() - 1;
        if (gaps < 1) {
            return linear(instants.isEmpty() ? 1 : instants.get(0));
        }
        long span = Math.max(1, instants.get(gaps) - instants.get(0));
        double[] at = new double[instants.size()];
        for (int i = 1; i <= gaps; i++) {
            long gap = instants.get(i) - instants.get(i - 1);
            at[i] = at[i - 1] + gap / (double) span + 1.0 / gaps;
        }
        double total = at[gaps];
        return ns -> {
            if (ns <= instants.get(0)) {
                return 0;
            }
            for (int i = 1; i <= gaps; i++) {
                long t1 = instants.get(i);
                if (ns <= t1) {
                    long t0 = instants.get(i - 1);
                    double within = t1 == t0 ? 1 : (ns - t0) / (double) (t1 - t0);
                    return (at[i - 1] + within * (at[i] - at[i - 1])) / total;
                }
            }
            return 1;
        };
    }
}
