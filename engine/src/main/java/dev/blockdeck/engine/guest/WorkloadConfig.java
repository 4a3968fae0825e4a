package dev.blockdeck.engine.guest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.QmpException;

/**
 * The arguments of {@code __dev.blockdeck_guest-workload-start}, with defaults filled in and every value checked
 * (type checks already happened against the declaration; these are the range checks, worded as QEMU words an
 * invalid parameter value).
 */
public record WorkloadConfig(String id, List<String> drives, int blockSize, String pattern, long rate,
                             int queueDepth, int readPercent, boolean dependent, int writers) {
    public static final int DEFAULT_BLOCK_SIZE = 4096;
    public static final int MAX_BLOCK_SIZE = 1 << 20;
    public static final int MAX_QUEUE_DEPTH = 256;
    public static final int MAX_WRITERS = 256;
    public static final int DEFAULT_READ_PERCENT = 50;

    public WorkloadConfig {
        drives = List.copyOf(drives);
    }

    /** Parses QMP arguments; throws a GenericError for a value out of range. */
    public static WorkloadConfig parse(ObjectNode args) {
        String id = args.get("id").textValue();
        if (id.isEmpty()) {
            throw invalid("id", "a non-empty string");
        }
        List<String> drives = new ArrayList<>();
        for (JsonNode d : args.get("drives")) {
            drives.add(d.textValue());
        }
        if (drives.isEmpty()) {
            throw invalid("drives", "at least one drive");
        }
        if (new HashSet<>(drives).size() != drives.size()) {
            throw invalid("drives", "each drive at most once");
        }
        long bs = args.path("block-size").asLong(DEFAULT_BLOCK_SIZE);
        if (bs < BlockStamp.MIN_BLOCK || bs > MAX_BLOCK_SIZE || Long.bitCount(bs) != 1) {
            throw invalid("block-size", "a power of 2 between " + BlockStamp.MIN_BLOCK + " and " + MAX_BLOCK_SIZE);
        }
        String pattern = args.path("pattern").asText("sequential");
        long rate = args.path("rate").asLong(0);
        if (rate < 0) {
            throw invalid("rate", "a non-negative number of operations per second");
        }
        long qd = args.path("queue-depth").asLong(1);
        if (qd < 1 || qd > MAX_QUEUE_DEPTH) {
            throw invalid("queue-depth", "a value between 1 and " + MAX_QUEUE_DEPTH);
        }
        long rp = args.path("read-percent").asLong(DEFAULT_READ_PERCENT);
        if (rp < 0 || rp > 100) {
            throw invalid("read-percent", "a value between 0 and 100");
        }
        boolean dependent = args.path("dependent").asBoolean(false);
        long writers = args.path("writers").asLong(1);
        if (args.has("writers") && !dependent) {
            throw invalid("writers", "to be used with 'dependent': true");
        }
        // a dependent writer goes to sequential never-written blocks, one request at a time
        for (String chainFixed : new String[] {"pattern", "queue-depth"}) {
            if (dependent && args.has(chainFixed)) {
                throw invalid(chainFixed, "to be used without 'dependent': true");
            }
        }
        if (writers < 1 || writers > MAX_WRITERS) {
            throw invalid("writers", "a value between 1 and " + MAX_WRITERS);
        }
        return new WorkloadConfig(id, drives, (int) bs, pattern, rate, (int) qd, (int) rp, dependent, (int) writers);
    }

    private static QmpException invalid(String name, String expected) {
        return new QmpException("Parameter '" + name + "' expects " + expected);
    }
}
