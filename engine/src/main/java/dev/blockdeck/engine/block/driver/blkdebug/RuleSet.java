package dev.blockdeck.engine.block.driver.blkdebug;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.blockdeck.engine.block.DebugEvents;

/**
 * The rules of one blkdebug node and their state machine, as QEMU runs them: rules wait on their event (newest
 * first); an event whose inject-error rules apply replaces the whole set of armed rules with them; set-state
 * rules move the state after the event (the state the rules saw is the one before). A request fails with the
 * first armed rule that covers it; a {@code once} rule is gone after firing. Events come from the node's
 * context thread and, at open, from the main loop, so every method is synchronized.
 */
final class RuleSet {
    /** What a request that a rule covers does instead: fail with {@code errno}, now or after one loop turn. */
    record Injection(int errno, boolean immediately) {
    }

    private static final Set<String> EVENTS = Set.copyOf(DebugEvents.ALL);

    private final Map<String, List<Rule>> waiting = new HashMap<>();
    /** Armed rules, in the order they are checked. */
    private final List<Rule> armed = new ArrayList<>();
    private int state = 1;

    synchronized void add(Rule r) {
        waiting.computeIfAbsent(r.event, k -> new ArrayList<>()).add(0, r);
    }

    synchronized int state() {
        return state;
    }

    synchronized void event(String event) {
        if (!EVENTS.contains(event)) {
            throw new IllegalArgumentException("unknown debug event '" + event + "'");
        }
        List<Rule> rules = waiting.get(event);
        if (rules == null) {
            return;
        }
        int newState = state;
        boolean injectSeen = false;
        for (Rule r : rules) {
            if (r.state != 0 && r.state != state) {
                continue;
            }
            if (r.action == Rule.Action.INJECT_ERROR) {
                if (!injectSeen) {
                    armed.clear();
                    injectSeen = true;
                }
                armed.add(0, r);
            } else {
                newState = r.newState;
            }
        }
        state = newState;
    }

    /**
     * The injection for a request, or null to let it through. The first armed rule covering the request decides,
     * even when its errno is 0 (then nothing fails and the rule stays).
     */
    synchronized Injection check(long offset, long bytes, IoType type) {
        for (Rule r : armed) {
            if (!r.matches(offset, bytes, type)) {
                continue;
            }
            if (r.errno == 0) {
                return null;
            }
            if (r.once) {
                armed.remove(r);
                waiting.get(r.event).remove(r);
            }
            return new Injection(r.errno, r.immediately);
        }
        return null;
    }
}
