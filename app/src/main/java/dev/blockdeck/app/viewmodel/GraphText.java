package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;
import dev.blockdeck.app.model.Units;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The words the graph view shows for cards, edges and lanes: kept here so they are tested without a screen. */
public final class GraphText {

    private GraphText() {
    }

    /** Second line of a card: {@code qcow2 · 64 MiB}, {@code BlockBackend}, {@code block job}. */
    public static String subtitle(GraphNode n) {
        return switch (n.kind()) {
            case BACKEND -> n.device().isEmpty() ? "BlockBackend · no device"
                    : n.device().equals(n.name()) ? "unnamed BlockBackend" : "BlockBackend · device " + n.device();
            case JOB -> "block job";
            default -> n.size() < 0 ? n.driver() : n.driver() + " · " + Units.bytes(n.size());
        };
    }

    /** Third line of a card: the file's last element, or the backend's device and its iothread link. */
    public static String detail(GraphNode n) {
        if (n.kind() == NodeKind.BACKEND) {
            if (n.device().isEmpty()) {
                return "";
            }
            return n.deviceIothread() == null ? "no iothread link" : "iothread=" + n.deviceIothread();
        }
        return Units.shortFile(n.file(), 30);
    }

    /** The card's tooltip and the details bar: what it is, its AioContext and why, then the facts. */
    public static String describe(GraphNode n) {
        StringBuilder b = new StringBuilder();
        switch (n.kind()) {
            case BACKEND -> b.append("BlockBackend ").append(n.name());
            case JOB -> b.append("Block job ").append(n.name());
            default -> b.append("node ").append(n.name()).append(" (").append(n.driver()).append(", ")
                    .append(n.kind().name().toLowerCase()).append(")");
        }
        b.append("\nAioContext: ").append(n.placement().explanation());
        switch (n.kind()) {
            case BACKEND -> b.append(n.device().isEmpty() ? "\nno guest device" : "\ndevice " + n.device())
                    .append(n.deviceIothread() == null ? "" : "\ndevice iothread link: " + n.deviceIothread());
            case JOB -> { }
            default -> {
                if (!n.file().isEmpty()) {
                    b.append("\nfile ").append(n.file());
                }
                if (n.size() >= 0) {
                    b.append("\nsize ").append(Units.bytes(n.size())).append(" (").append(n.size()).append(" bytes)");
                }
                b.append(n.readOnly() ? "\nread-only" : "\nread-write");
                if (n.dirtyBitmaps() > 0) {
                    b.append("\n").append(n.dirtyBitmaps()).append(n.dirtyBitmaps() == 1 ? " dirty bitmap" : " dirty bitmaps");
                }
            }
        }
        return b.toString();
    }

    /** {@code top1 → #block185 as 'file'}, then what the parent takes and lets others take. */
    public static String describe(GraphEdge e, BlockState state) {
        return name(e.parentKey(), state) + " → " + name(e.childKey(), state) + " as '" + e.role() + "'"
                + "\ntakes: " + perms(e.perm()) + "\nshares: " + perms(e.sharedPerm());
    }

    private static String name(String key, BlockState state) {
        return state.node(key).map(GraphNode::name).orElse(key);
    }

    static String perms(List<String> perms) {
        return perms.isEmpty() ? "nothing" : String.join(", ", perms);
    }

    /** Under the lane's title, in query-iothreads' own words: {@code thread-id 5608}, {@code poll-max-ns 32768}. */
    public static List<String> laneFacts(Lane lane) {
        if (lane.iothread() == null) {
            return List.of("QMP and main-loop I/O");
        }
        if (lane.info() == null) {
            return List.of("not in query-iothreads");
        }
        return List.of("thread-id " + lane.info().threadId(), "poll-max-ns " + lane.info().pollMaxNs());
    }

    /** The details bar for a selected lane header: the IOThread and its query-iothreads facts. */
    public static String describeLane(Lane lane) {
        StringBuilder b = new StringBuilder(lane.iothread() == null ? "Main loop" : "IOThread " + lane.iothread());
        for (String fact : laneFacts(lane)) {
            b.append('\n').append(fact);
        }
        int n = lane.nodes().size();
        b.append('\n').append(n).append(n == 1 ? " vertex" : " vertices").append(" in this context");
        return b.toString();
    }

    /** What an empty lane says: with unreported contexts, "empty" only means nothing is known to be there. */
    public static String emptyLane(BlockState state) {
        return state.contextsReported() ? "no block nodes in this context"
                : "no nodes known here: this VM does not report AioContexts";
    }

    /** Why the lane's contexts are assumed: one line per distinct reason. */
    public static String laneAssumptions(Lane lane) {
        Set<String> reasons = new LinkedHashSet<>();
        for (GraphNode n : lane.nodes()) {
            Placement p = n.placement();
            if (p.assumed()) {
                reasons.add(switch (p.source()) {
                    case DEVICE_LINK -> "From device " + p.device() + "'s iothread link: virtio-blk moves its"
                            + " drive there only once the guest driver starts dataplane (a SCSI disk follows its"
                            + " controller's link from the moment it is plugged).";
                    case CONSOLE_MOVE -> "Moved here by this console with x-blockdev-set-iothread: QEMU accepted"
                            + " the move but does not report it, so a later move by another client is not seen.";
                    default -> "This VM does not report AioContexts: nodes are shown in the main loop unless a"
                            + " device links them to an iothread. A move by x-blockdev-set-iothread is invisible"
                            + " over QMP.";
                });
            }
        }
        return String.join("\n", reasons);
    }
}
