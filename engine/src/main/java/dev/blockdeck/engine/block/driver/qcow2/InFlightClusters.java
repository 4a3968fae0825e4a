package dev.blockdeck.engine.block.driver.qcow2;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest clusters that data I/O sent without the metadata lock is using right now (QEMU's overlap
 * dependencies, at cluster granularity): a locked operation that changes how a cluster maps, or frees the host
 * cluster behind it, first waits until no such I/O touches it, so a read never gets bytes from a host cluster
 * that moved or was reused, and a write never lands in one. Only the lock holder waits, so there is at most
 * one waiter. Context thread only.
 */
final class InFlightClusters {
    /** Guest clusters {@code first..last} of one request (identity matters, not the value). */
    static final class Span {
        final long first;
        final long last;

        Span(long first, long last) {
            this.first = first;
            this.last = last;
        }

        boolean overlaps(long f, long l) {
            return first <= l && f <= last;
        }
    }

    private final List<Span> spans = new ArrayList<>();
    private Span waitFor;
    private Runnable waiter;

    Span add(long first, long last) {
        Span s = new Span(first, last);
        spans.add(s);
        return s;
    }

    void remove(Span s) {
        for (int i = spans.size() - 1; i >= 0; i--) {
            if (spans.get(i) == s) {
                spans.remove(i);
                break;
            }
        }
        if (waiter != null && !busy(waitFor.first, waitFor.last)) {
            Runnable w = waiter;
            waiter = null;
            waitFor = null;
            w.run();
        }
    }

    /** Runs {@code then} once no I/O in flight touches clusters {@code first..last} (now if none does). */
    void whenIdle(long first, long last, Runnable then) {
        if (!busy(first, last)) {
            then.run();
            return;
        }
        if (waiter != null) {
            throw new IllegalStateException("two waiters for in-flight qcow2 clusters");
        }
        waitFor = new Span(first, last);
        waiter = then;
    }

    boolean busy(long first, long last) {
        for (Span s : spans) {
            if (s.overlaps(first, last)) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return spans.size();
    }
}
