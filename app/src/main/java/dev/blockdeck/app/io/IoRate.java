package dev.blockdeck.app.io;

/** Operations and bytes per second, reads and writes apart, over one interval between two samples. */
public record IoRate(double readIops, double writeIops, double readBytesPerSecond, double writeBytesPerSecond) {

    public static final IoRate ZERO = new IoRate(0, 0, 0, 0);
    private static final double NANOS_PER_SECOND = 1e9;

    /**
     * The rate from {@code before} to {@code after}, {@code nanos} apart; null when there is none to tell: the
     * interval is not positive, or a counter went down (the drive was replaced: its counters started again).
     */
    public static IoRate between(IoCounters before, IoCounters after, long nanos) {
        if (nanos <= 0 || !after.continues(before)) {
            return null;
        }
        double seconds = nanos / NANOS_PER_SECOND;
        return new IoRate((after.readOps() - before.readOps()) / seconds,
                (after.writeOps() - before.writeOps()) / seconds,
                (after.readBytes() - before.readBytes()) / seconds,
                (after.writeBytes() - before.writeBytes()) / seconds);
    }

    public IoRate plus(IoRate other) {
        return new IoRate(readIops + other.readIops, writeIops + other.writeIops,
                readBytesPerSecond + other.readBytesPerSecond, writeBytesPerSecond + other.writeBytesPerSecond);
    }

    /** Reads and writes. */
    public double iops() {
        return readIops + writeIops;
    }

    /** Reads and writes. */
    public double bytesPerSecond() {
        return readBytesPerSecond + writeBytesPerSecond;
    }
}
