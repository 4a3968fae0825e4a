package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.GraphNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Find by name: the vertices whose name (node-name, BlockBackend or device name, job id) contains the query,
 * ignoring case, best first: the exact name, then names starting with it, then the rest, each group in the
 * graph's order. Plain Java.
 */
public final class NodeSearch {

    private NodeSearch() {
    }

    /** Keys of the matching vertices; empty for a blank query. */
    public static List<String> find(List<GraphNode> nodes, String query) {
        String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
        if (q.isEmpty()) {
            return List.of();
        }
        List<String> exact = new ArrayList<>();
        List<String> prefix = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        for (GraphNode n : nodes) {
            String name = n.name().toLowerCase(Locale.ROOT);
            if (name.equals(q)) {
                exact.add(n.key());
            } else if (name.startsWith(q)) {
                prefix.add(n.key());
            } else if (name.contains(q)) {
                inside.add(n.key());
            }
        }
        List<String> all = new ArrayList<>(exact);
        all.addAll(prefix);
        all.addAll(inside);
        return all;
    }
}
