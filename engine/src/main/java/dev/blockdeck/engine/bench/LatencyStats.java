package dev.blockdeck.engine.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarised as median and tail percentiles. */
record LatencyStats(long[] samplesNs) {

    static LatencyStats of(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return new LatencyStats(s);
    }

    double percentileUs(double p) {
        int i = (int) Math.min(samplesNs.length - 1, Math.max(0, Math.round(p / 100.0 * (samplesNs.length - 1))));
        return samplesNs[i] / 1000.0;
    }

    double medianUs() {
        return percentileUs(50);
    }
}
