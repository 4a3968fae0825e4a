package dev.blockdeck.app.model;

import java.util.List;

/**
 * One AioContext of the VM and the graph vertices placed in it: the main loop or one iothread.
 *
 * @param iothread the iothread id, {@code null} for the main loop
 * @param info     {@code query-iothreads} facts; null for the main loop or an iothread query-iothreads lacks
 */
public record Lane(String iothread, IoThreadInfo info, List<GraphNode> nodes) {

    public Lane {
        nodes = List.copyOf(nodes);
    }

    /** A stable id for lookups and CSS: {@code main-loop} or the iothread id. */
    public String id() {
        return iothread == null ? "main-loop" : iothread;
    }

    public String title() {
        return iothread == null ? "Main loop" : iothread;
    }

    /** True when some vertex here is placed by assumption, not reported. */
    public boolean assumed() {
        return nodes.stream().anyMatch(n -> n.placement().assumed());
    }
}
