package dev.blockdeck.app.model;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code x-blockdev-set-iothread} moves this console made on a VM that does not report AioContexts (a real
 * QEMU): without them, a moved node would be drawn back in the main loop at the next read. Thread-safe.
 *
 * <p>A move stands for its component as it was when it was made. It is forgotten when the component gains a node
 * (a new parent is attached in the main loop, and QEMU then pulls the node over to it) or when the node is gone;
 * losing nodes (blockdev-del of a parent) leaves the rest where it was, so the move still stands.
 */
public final class KnownMoves {

    /**
     * @param iothread  the target, null for the main loop
     * @param component the block nodes that moved together
     * @param sequence  later moves win when one component holds several
     */
    record Move(String iothread, Set<String> component, long sequence) {
    }

    private final Map<String, Move> byNode = new HashMap<>();
    private long sequence;

    /** {@code node} and its {@code component} (block node names) moved to {@code iothread} (null: main loop). */
    public synchronized void record(String node, String iothread, Collection<String> component) {
        Move m = new Move(iothread, Set.copyOf(component), ++sequence);
        // under every node: the one named in the command may be deleted while the rest stays where it went
        byNode.put(node, m);
        component.forEach(n -> byNode.put(n, m));
    }

    public synchronized boolean isEmpty() {
        return byNode.isEmpty();
    }

    public synchronized void clear() {
        byNode.clear();
    }

    /**
     * Where this console last moved the component made of {@code blockNodes}, if a move still stands for it;
     * forgets moves the component outgrew.
     */
    synchronized Optional<Placement> placementOf(List<String> blockNodes) {
        Move latest = null;
        for (String n : blockNodes) {
            Move m = byNode.get(n);
            if (m == null) {
                continue;
            }
            if (!m.component().containsAll(blockNodes)) {
                byNode.remove(n);
                continue;
            }
            if (latest == null || m.sequence() > latest.sequence()) {
                latest = m;
            }
        }
        return latest == null ? Optional.empty() : Optional.of(Placement.consoleMove(latest.iothread()));
    }

    /** Forgets the moves of nodes the VM no longer lists. */
    synchronized void retain(Set<String> existing) {
        byNode.keySet().retainAll(existing);
    }
}
