package dev.blockdeck.engine.txn;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * When each phase of each action of one transaction ran, and when each drained section began and ended, in
 * nanoseconds since the transaction started: what the console draws as a timeline. Main loop only.
 */
public final class PhaseTrace {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final long t0 = System.nanoTime();
    private final List<ObjectNode> actions = new ArrayList<>();
    private final List<ObjectNode> openPhases = new ArrayList<>();
    private final List<List<ObjectNode>> openDrains = new ArrayList<>();

    private long now() {
        return System.nanoTime() - t0;
    }

    void actionAdded(int index, String type) {
        ObjectNode a = F.objectNode();
        a.put("type", type);
        a.putArray("phases");
        a.putArray("drained");
        actions.add(a);
        openPhases.add(null);
        openDrains.add(new ArrayList<>());
        if (actions.size() != index + 1) {
            throw new IllegalStateException("actions traced out of order");
        }
    }

    void phase(int index, String phase, boolean start) {
        if (start) {
            ObjectNode p = F.objectNode();
            p.put("phase", phase);
            p.put("start-ns", now());
            openPhases.set(index, p);
        } else {
            ObjectNode p = openPhases.get(index);
            p.put("end-ns", now());
            ((ArrayNode) actions.get(index).get("phases")).add(p);
            openPhases.set(index, null);
        }
    }

    void drainBegin(int index, String node) {
        ObjectNode d = F.objectNode();
        d.put("node", node);
        d.put("start-ns", now());
        openDrains.get(index).add(d);
    }

    void drainEnd(int index, String node) {
        List<ObjectNode> open = openDrains.get(index);
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).get("node").textValue().equals(node)) {
                ObjectNode d = open.remove(i);
                d.put("end-ns", now());
                ((ArrayNode) actions.get(index).get("drained")).add(d);
                return;
            }
        }
    }

    /** The event's data: outcome ("committed" or "aborted"), the error if any, and the per-action timeline. */
    ObjectNode toEvent(boolean committed, String error) {
        ObjectNode o = F.objectNode();
        o.put("outcome", committed ? "committed" : "aborted");
        if (error != null) {
            o.put("error", error);
        }
        o.put("total-ns", now());
        ArrayNode a = o.putArray("actions");
        actions.forEach(a::add);
        return o;
    }
}
