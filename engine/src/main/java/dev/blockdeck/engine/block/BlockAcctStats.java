package dev.blockdeck.engine.block;

/**
 * I/O accounting of a BlockBackend (QEMU's BlockAcctStats): bytes, operations, failures, invalid requests and
 * latencies per request type, fed by the BlockBackend's request path. Thread-safe: updated on the backend's
 * context thread, read by queries on the main loop.
 */
public final class BlockAcctStats {
    /** Request types, in QEMU's BlockAcctType order. */
    public enum Type { READ, WRITE, FLUSH, UNMAP }

    private final long[] bytes = new long[4];
    private final long[] ops = new long[4];
    private final long[] failed = new long[4];
    private final long[] invalid = new long[4];
    private final long[] merged = new long[4];
    private final long[] totalTimeNs = new long[4];
    private long lastAccessNs;
    private boolean accountInvalid;
    private boolean accountFailed;

    /** What {@link #snapshot} returns. */
    public record Snapshot(long[] bytes, long[] ops, long[] failed, long[] invalid, long[] merged,
                           long[] totalTimeNs, long idleTimeNs, boolean accountInvalid, boolean accountFailed) {
        public long bytes(Type t) {
            return bytes[t.ordinal()];
        }

        public long ops(Type t) {
            return ops[t.ordinal()];
        }

        public long failed(Type t) {
            return failed[t.ordinal()];
        }

        public long invalid(Type t) {
            return invalid[t.ordinal()];
        }

        public long merged(Type t) {
            return merged[t.ordinal()];
        }

        public long totalTimeNs(Type t) {
            return totalTimeNs[t.ordinal()];
        }

        /** Nanoseconds since the last accounted access, or -1 if there was none. */
        public long idleTimeNs() {
            return idleTimeNs;
        }
    }

    /** QEMU's block_acct_setup. */
    public synchronized void setup(boolean accountInvalid, boolean accountFailed) {
        this.accountInvalid = accountInvalid;
        this.accountFailed = accountFailed;
    }

    /** A request of {@code type} started now; pass the result to {@link #done} or {@link #failed}. */
    public static long start() {
        return System.nanoTime();
    }

    public synchronized void done(Type type, long bytes, long startNs) {
        long now = System.nanoTime();
        int t = type.ordinal();
        this.bytes[t] += bytes;
        ops[t]++;
        totalTimeNs[t] += now - startNs;
        lastAccessNs = now;
    }

    public synchronized void failed(Type type, long startNs) {
        long now = System.nanoTime();
        int t = type.ordinal();
        failed[t]++;
        if (accountFailed) {
            totalTimeNs[t] += now - startNs;
            lastAccessNs = now;
        }
    }

    /** A request rejected before any I/O (out of range, no medium). */
    public synchronized void invalid(Type type) {
        invalid[type.ordinal()]++;
        if (accountInvalid) {
            lastAccessNs = System.nanoTime();
        }
    }

    /** Requests merged into others by a device (virtio-blk merges adjacent requests). */
    public synchronized void merged(Type type, long count) {
        merged[type.ordinal()] += count;
    }

    public synchronized Snapshot snapshot() {
        long idle = lastAccessNs == 0 ? -1 : System.nanoTime() - lastAccessNs;
        return new Snapshot(bytes.clone(), ops.clone(), failed.clone(), invalid.clone(), merged.clone(),
                totalTimeNs.clone(), idle, accountInvalid, accountFailed);
    }
}
