package dev.blockdeck.app.io;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code query-blockstats} answer and when it arrived.
 *
 * @param nanos the sampling clock's reading (monotonic, any origin)
 */
public record BlockStatsSample(long nanos, List<DriveStats> drives) {

    public BlockStatsSample {
        drives = List.copyOf(drives);
    }

    /** Parses the {@code return} value of {@code query-blockstats} (without {@code query-nodes}). */
    public static BlockStatsSample parse(long nanos, JsonNode answer) {
        List<DriveStats> drives = new ArrayList<>();
        if (answer != null) {
            for (JsonNode entry : answer) {
                DriveStats d = DriveStats.of(entry);
                if (d != null && drives.stream().noneMatch(x -> x.label().equals(d.label()))) {
                    drives.add(d);
                }
            }
        }
        return new BlockStatsSample(nanos, drives);
    }

    public DriveStats drive(String label) {
        return drives.stream().filter(d -> d.label().equals(label)).findFirst().orElse(null);
    }
}
