package dev.blockdeck.engine.guest;

/**
 * Paces requests to at most {@code perSecond} (0 = unlimited) without sleeping: it says how long to
 * wait before the next request may start, and the workload sets a timer for that.
 */
public final class RateLimiter {
    private final long intervalNs;
    private long nextAllowedNs;

    public RateLimiter(long perSecond) {
        this.intervalNs = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
    }

    /** Nanoseconds until a request may start at {@code nowNs}; 0 means now (and takes the slot). */
    public long delayNs(long nowNs) {
        if (intervalNs == 0) {
            return 0;
        }
        if (nextAllowedNs == 0 || nowNs - nextAllowedNs >= 0) {
            // never bank more than one interval of idle time: bursts stay short
            long base = nextAllowedNs == 0 || nowNs - nextAllowedNs > intervalNs ? nowNs : nextAllowedNs;
            nextAllowedNs = base + intervalNs;
            return 0;
        }
        return nextAllowedNs - nowNs;
    }
}
