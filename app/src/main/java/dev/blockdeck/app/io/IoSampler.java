package dev.blockdeck.app.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns successive {@code query-blockstats} samples into rates: each drive's counter deltas over the time between
 * the samples, and per AioContext the sum over the drives in it. A drive seen for the first time, or whose
 * counters went down (replaced under the same name), has no rate until the next sample.
 */
public final class IoSampler {

    /** The rates of one interval, from {@code startNanos} to {@code nanos}; maps in sample and context order. */
    public record Step(long startNanos, long nanos, Map<String, IoRate> drives, Map<String, IoRate> contexts) {
        public Step {
            drives = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(drives));
            contexts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contexts));
        }
    }

    private BlockStatsSample last;

    /** Adds a sample; returns the rates since the previous one, or null for the first (or a clock that went back). */
    public Step add(BlockStatsSample sample, DriveContexts contexts) {
        BlockStatsSample before = last;
        if (before != null && sample.nanos() <= before.nanos()) {
            return null; // an answer that overtook a later one: keep the newer baseline
        }
        last = sample;
        if (before == null) {
            return null;
        }
        long nanos = sample.nanos() - before.nanos();
        Map<String, IoRate> drives = new LinkedHashMap<>();
        Map<String, IoRate> byContext = new LinkedHashMap<>();
        List<String> all = contexts.all();
        all.forEach(c -> byContext.put(c, IoRate.ZERO));
        for (DriveStats d : sample.drives()) {
            DriveStats prev = before.drive(d.label());
            IoRate rate = prev == null ? null : IoRate.between(prev.counters(), d.counters(), nanos);
            if (rate != null) {
                drives.put(d.label(), rate);
                byContext.merge(contexts.of(d), rate, IoRate::plus);
            }
        }
        return new Step(before.nanos(), sample.nanos(), drives, byContext);
    }

    /** Forgets the baseline (a new session). */
    public void reset() {
        last = null;
    }
}
