package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Host ranges freed by a metadata operation, to be discarded on the host file afterwards (QEMU's qcow2 discard
 * list): a new range joins a queued one it touches, and queued ranges that become adjacent merge, so one operation
 * sends as few discards as QEMU does. Processed in queue order.
 */
final class DiscardQueue {
    private final List<long[]> regions = new ArrayList<>();

    void add(long offset, long length) {
        long[] d = null;
        for (long[] r : regions) {
            long start = Math.min(offset, r[0]);
            long end = Math.max(offset + length, r[0] + r[1]);
            if (end - start <= length + r[1]) {
                r[0] = start;
                r[1] = end - start;
                d = r;
                break;
            }
        }
        if (d == null) {
            d = new long[] {offset, length};
            regions.add(d);
        }
        for (int i = 0; i < regions.size(); i++) {
            long[] p = regions.get(i);
            if (p == d || p[0] > d[0] + d[1] || d[0] > p[0] + p[1]) {
                continue;
            }
            regions.remove(i--);
            d[0] = Math.min(d[0], p[0]);
            d[1] += p[1];
        }
    }

    /** Sends the queued discards (unless the operation failed) and empties the queue. */
    void process(HostFile file, boolean ok) {
        List<long[]> todo = new ArrayList<>(regions);
        regions.clear();
        if (!ok) {
            return;
        }
        for (long[] r : todo) {
            try {
                file.discard(r[0], r[1]);
            } catch (IOException e) {
                // a failed discard only wastes space (QEMU merely traces it)
            }
        }
    }
}
