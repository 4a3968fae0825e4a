package dev.blockdeck.app.io;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One guest workload as the engine reports it ({@code __dev.blockdeck_GuestWorkloadInfo}): its counters, and
 * whether it still runs. Every successful read is checked against what was last written there.
 *
 * @param error the first problem the engine saw (a failed request or a read that did not verify), or null
 */
public record WorkloadInfo(String id, List<String> drives, long ops, long reads, long writes, long errors,
                           long verifyFailures, long bytesRead, long bytesWritten, boolean running, String error) {

    public WorkloadInfo {
        drives = List.copyOf(drives);
    }

    public static WorkloadInfo parse(JsonNode o) {
        List<String> drives = new ArrayList<>();
        o.path("drives").forEach(d -> drives.add(d.asText()));
        JsonNode error = o.path("error");
        return new WorkloadInfo(o.path("id").asText(), drives, o.path("ops").asLong(), o.path("reads").asLong(),
                o.path("writes").asLong(), o.path("errors").asLong(), o.path("verify-failures").asLong(),
                o.path("bytes-read").asLong(), o.path("bytes-written").asLong(), o.path("running").asBoolean(),
                error.isTextual() ? error.asText() : null);
    }

    /** Reads that returned what the workload had written: the successful reads that did not fail verification. */
    public long verified() {
        return Math.max(0, reads - verifyFailures);
    }

    /** The same workload, no longer running (its final counters, as the stop command returned them). */
    public WorkloadInfo stopped() {
        return new WorkloadInfo(id, drives, ops, reads, writes, errors, verifyFailures, bytesRead, bytesWritten,
                false, error);
    }
}
