package dev.blockdeck.app.txn;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine's {@value #EVENT} event: when each phase of each action of one transaction ran and when each
 * drained section began and ended, in nanoseconds since the transaction began. QEMU has no such event.
 *
 * @param committed true for outcome {@code committed}, false for {@code aborted}
 * @param error     the error that aborted it, or null
 */
public record TxnTrace(boolean committed, String error, long totalNs, List<ActionTrace> actions) {

    /** The downstream event's name (a BlockDeck extension, hence the prefix QMP asks for). */
    public static final String EVENT = "__dev.blockdeck_TRANSACTION_TRACE";
    public static final List<String> PHASES = List.of("prepare", "commit", "abort", "clean");

    public record Span(String phase, long startNs, long endNs) {
    }

    public record Drain(String node, long startNs, long endNs) {
    }

    public record ActionTrace(String type, List<Span> phases, List<Drain> drained) {
        public ActionTrace {
            phases = List.copyOf(phases);
            drained = List.copyOf(drained);
        }

        public Optional<Span> phase(String name) {
            return phases.stream().filter(p -> p.phase().equals(name)).findFirst();
        }
    }

    public TxnTrace {
        actions = List.copyOf(actions);
    }

    /** Reads the event's data; members it does not know are ignored, missing times read as 0. */
    public static TxnTrace parse(JsonNode data) {
        List<ActionTrace> actions = new ArrayList<>();
        for (JsonNode a : data.path("actions")) {
            List<Span> phases = new ArrayList<>();
            for (JsonNode p : a.path("phases")) {
                phases.add(new Span(p.path("phase").asText(), p.path("start-ns").asLong(), p.path("end-ns").asLong()));
            }
            List<Drain> drained = new ArrayList<>();
            for (JsonNode d : a.path("drained")) {
                drained.add(new Drain(d.path("node").asText(), d.path("start-ns").asLong(), d.path("end-ns").asLong()));
            }
            actions.add(new ActionTrace(a.path("type").asText(), phases, drained));
        }
        JsonNode error = data.get("error");
        return new TxnTrace("committed".equals(data.path("outcome").asText()),
                error != null && error.isTextual() ? error.asText() : null, data.path("total-ns").asLong(), actions);
    }

    public List<String> types() {
        return actions.stream().map(ActionTrace::type).toList();
    }

    /**
     * The action whose prepare failed: in an aborted transaction the last one that began a prepare (the ones
     * after it never ran); -1 when it committed or nothing was prepared.
     */
    public int failedIndex() {
        if (committed) {
            return -1;
        }
        for (int i = actions.size() - 1; i >= 0; i--) {
            if (actions.get(i).phase("prepare").isPresent()) {
                return i;
            }
        }
        return -1;
    }

    /** The latest end of anything traced, at least {@link #totalNs()}: the time axis's length. */
    public long spanNs() {
        long max = totalNs;
        for (ActionTrace a : actions) {
            for (Span s : a.phases()) {
                max = Math.max(max, s.endNs());
            }
            for (Drain d : a.drained()) {
                max = Math.max(max, d.endNs());
            }
        }
        return Math.max(1, max);
    }
}
