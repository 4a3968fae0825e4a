package dev.blockdeck.app.model;

/**
 * The block graph as Graphviz DOT, for the same use as QEMU's {@code scripts/render_block_graph.py}
 * ({@code dot -Tsvg graph.dot > graph.svg}): block nodes as ellipses labelled node-name, driver and file,
 * BlockBackends and jobs as boxes, edges parent → child labelled with the child's role, and one cluster per
 * AioContext (the main loop, then each IOThread), as the console draws its lanes.
 */
public final class DotGraph {

    private static final String FONT = "sans-serif";

    private DotGraph() {
    }

    /** @param title the graph's name, e.g. the VM name; may be empty */
    public static String of(BlockState state, String title) {
        StringBuilder b = new StringBuilder();
        b.append("// Block graph exported by BlockDeck. Render: dot -Tsvg this.dot -o graph.svg\n");
        b.append("digraph ").append(quote(title == null || title.isEmpty() ? "block graph" : title)).append(" {\n");
        b.append("  graph [rankdir=LR, fontname=").append(quote(FONT)).append(", fontsize=11, nodesep=0.35, ranksep=0.6");
        if (title != null && !title.isEmpty()) {
            b.append(", label=").append(quote(title)).append(", labelloc=t");
        }
        b.append("];\n");
        b.append("  node [fontname=").append(quote(FONT)).append(", fontsize=10, style=filled, fillcolor=white];\n");
        b.append("  edge [fontname=").append(quote(FONT)).append(", fontsize=9, color=\"#6e7781\"];\n");
        for (Lane lane : state.lanes()) {
            cluster(b, lane, state);
        }
        for (GraphEdge e : state.edges()) {
            b.append("  ").append(quote(e.parentKey())).append(" -> ").append(quote(e.childKey()))
                    .append(" [label=").append(quote(e.role()));
            if ("backing".equals(e.role())) {
                b.append(", style=dashed");
            }
            b.append(", tooltip=").append(quote("takes: " + perms(e.perm()) + "\nshares: " + perms(e.sharedPerm())))
                    .append("];\n");
        }
        return b.append("}\n").toString();
    }

    private static void cluster(StringBuilder b, Lane lane, BlockState state) {
        b.append("  subgraph ").append(quote("cluster_" + lane.id())).append(" {\n");
        String label = lane.title();
        if (lane.info() != null) {
            label += "\nthread-id " + lane.info().threadId() + " · poll-max-ns " + lane.info().pollMaxNs();
        }
        if (lane.assumed()) {
            label += "\n(context assumed: this VM does not report AioContexts)";
        }
        b.append("    label=").append(quote(label)).append("; labeljust=l; style=filled; color=\"#d0d7de\"; fillcolor=")
                .append(quote(lane.iothread() == null ? "#f6f8fa" : "#eef4fb")).append(";\n");
        for (GraphNode n : lane.nodes()) {
            b.append("    ").append(quote(n.key())).append(" [").append(attributes(n)).append("];\n");
        }
        if (lane.nodes().isEmpty()) {
            // Graphviz drops an empty cluster; an IOThread with nothing on it is still worth seeing
            b.append("    ").append(quote("empty:" + lane.id())).append(" [shape=plaintext, style=\"\", label=")
                    .append(quote(state.contextsReported() ? "no block nodes" : "no nodes known")).append("];\n");
        }
        b.append("  }\n");
    }

    private static String attributes(GraphNode n) {
        String colour = switch (n.kind()) {
            case BACKEND -> "#8250df";
            case JOB -> "#6e7781";
            case FILTER -> "#bc4c00";
            case FORMAT -> "#0969da";
            case PROTOCOL -> "#1a7f37";
        };
        String label;
        String shape;
        switch (n.kind()) {
            case BACKEND -> {
                shape = "box";
                label = n.name() + "\nBlockBackend" + (n.device().isEmpty() || n.device().equals(n.name()) ? ""
                        : "\ndevice " + n.device());
            }
            case JOB -> {
                shape = "box";
                label = n.name() + "\nblock job";
            }
            default -> {
                shape = "ellipse";
                String file = Units.shortFile(n.file(), 48);
                label = n.name() + "\n" + n.driver() + (file.isEmpty() ? "" : "\n" + file);
            }
        }
        StringBuilder a = new StringBuilder("shape=").append(shape).append(", color=").append(quote(colour))
                .append(", penwidth=1.5, label=").append(quote(label));
        if (!n.file().isEmpty()) {
            a.append(", tooltip=").append(quote(n.file()));
        }
        if (n.kind() == NodeKind.BACKEND) {
            a.append(", fillcolor=\"#fbf9ff\"");
        }
        return a.toString();
    }

    private static String perms(java.util.List<String> perms) {
        return perms.isEmpty() ? "nothing" : String.join(", ", perms);
    }

    /** A DOT quoted string; a line break becomes DOT's centred {@code \n}. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> { }
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
