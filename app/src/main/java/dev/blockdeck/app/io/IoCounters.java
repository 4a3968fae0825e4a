package dev.blockdeck.app.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The cumulative counters of one {@code query-blockstats} entry that the I/O charts use (QEMU's
 * {@code BlockDeviceStats}: {@code rd_operations}, {@code wr_operations}, {@code rd_bytes}, {@code wr_bytes}).
 */
public record IoCounters(long readOps, long writeOps, long readBytes, long writeBytes) {

    public static final IoCounters ZERO = new IoCounters(0, 0, 0, 0);

    /** From a {@code stats} object; a missing member counts as 0. */
    public static IoCounters of(JsonNode stats) {
        return new IoCounters(stats.path("rd_operations").asLong(0), stats.path("wr_operations").asLong(0),
                stats.path("rd_bytes").asLong(0), stats.path("wr_bytes").asLong(0));
    }

    /** True when no counter went down since {@code earlier}: a drop means a new drive under the same name. */
    public boolean continues(IoCounters earlier) {
        return readOps >= earlier.readOps && writeOps >= earlier.writeOps
                && readBytes >= earlier.readBytes && writeBytes >= earlier.writeBytes;
    }
}
