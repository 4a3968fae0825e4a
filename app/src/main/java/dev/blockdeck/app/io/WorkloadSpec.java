package dev.blockdeck.app.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * The I/O tab's workload form: the arguments of {@value GuestWorkloadCommands#START}, checked here with the
 * engine's own limits so the form can say what is wrong before anything is sent (the engine checks again).
 *
 * @param rate       operations per second over all the drives; 0 = as fast as the drives go
 * @param dependent  causally dependent writers (each write waits for the previous one) instead of free-running
 *                   requests; then {@code pattern} and {@code queueDepth} do not apply and are not sent
 */
public record WorkloadSpec(String id, List<String> drives, String pattern, int blockSize, int queueDepth,
                           int readPercent, long rate, boolean dependent, int writers) {

    public static final List<String> PATTERNS = List.of("sequential", "random");
    public static final int MIN_BLOCK_SIZE = 512;
    public static final int MAX_BLOCK_SIZE = 1 << 20;
    public static final int MAX_QUEUE_DEPTH = 256;
    public static final int MAX_WRITERS = 256;

    public WorkloadSpec {
        drives = List.copyOf(drives);
    }

    /** The block sizes the form offers: every power of two the engine takes. */
    public static List<Integer> blockSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (int s = MIN_BLOCK_SIZE; s <= MAX_BLOCK_SIZE; s *= 2) {
            sizes.add(s);
        }
        return sizes;
    }

    /** What is wrong, one sentence each; empty when the engine should take it. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        String idProblem = idProblem(id);
        if (idProblem != null) {
            p.add(idProblem);
        }
        if (drives.isEmpty()) {
            p.add("Choose at least one drive.");
        } else if (new HashSet<>(drives).size() != drives.size()) {
            p.add("Each drive may be chosen once.");
        }
        if (!PATTERNS.contains(pattern)) {
            p.add("Pattern must be sequential or random.");
        }
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            p.add("Block size must be a power of 2 from 512 B to 1 MiB.");
        }
        if (queueDepth < 1 || queueDepth > MAX_QUEUE_DEPTH) {
            p.add("Queue depth must be from 1 to " + MAX_QUEUE_DEPTH + ".");
        }
        if (readPercent < 0 || readPercent > 100) {
            p.add("Reads must be from 0 to 100 %.");
        }
        if (rate < 0) {
            p.add("Rate must be 0 (unlimited) or more operations per second.");
        }
        if (dependent && (writers < 1 || writers > MAX_WRITERS)) {
            p.add("Writers must be from 1 to " + MAX_WRITERS + ".");
        }
        return p;
    }

    /** Null when {@code id} can name a workload. */
    public static String idProblem(String id) {
        return id == null || id.isBlank() ? "Give the workload an id." : null;
    }

    /** Null when {@code text} is a rate the engine takes: empty (unlimited) or a non-negative whole number. */
    public static String rateProblem(String text) {
        return parseRate(text) < 0 ? "Rate: a whole number of operations per second, 0 or empty for no limit." : null;
    }

    /** The rate in a text field: empty means 0 (no limit); -1 when it is not a non-negative whole number. */
    public static long parseRate(String text) {
        String t = text == null ? "" : text.strip().replace("_", "");
        if (t.isEmpty()) {
            return 0;
        }
        try {
            long v = Long.parseLong(t);
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The command's arguments; only what differs from the engine's defaults, and nothing that does not apply. */
    public ObjectNode arguments() {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.put("id", id.strip());
        ArrayNode list = args.putArray("drives");
        drives.forEach(list::add);
        args.put("block-size", blockSize);
        args.put("read-percent", readPercent);
        if (rate > 0) {
            args.put("rate", rate);
        }
        if (dependent) {
            args.put("dependent", true);
            args.put("writers", writers);
        } else {
            args.put("pattern", pattern);
            args.put("queue-depth", queueDepth);
        }
        return args;
    }

    /** {@code 4 KiB} for the block-size list. */
    public static String formatSize(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1024 ? (bytes >> 10) + " KiB" : bytes + " B";
    }

    /** {@code 1.2k} style numbers for counters and rates. */
    public static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.1fG", v / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return a >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
