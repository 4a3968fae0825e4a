package dev.blockdeck.app.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides the AioContext of every graph vertex. A connected component always lives in one context (QEMU
 * moves whole components), so the decision is made per component, in this order: (a) what the engine
 * reports, (b) the iothread link of a guest device on the component (assumed), (c) the main loop (assumed).
 */
final class Placements {

    private Placements() {
    }

    /**
     * @param reported node-name → iothread id ({@code null} value = main loop), or {@code null} when the VM
     *                 does not report contexts
     */
    static List<GraphNode> resolve(List<GraphNode> vertices, List<GraphEdge> edges, Map<String, String> reported,
                                   List<String> warnings) {
        return resolve(vertices, edges, reported, new KnownMoves(), warnings);
    }

    /**
     * @param moves this console's {@code x-blockdev-set-iothread} moves: where no context is reported, they place
     *              a component without a device link (a device-linked one cannot have been moved by QEMU)
     */
    static List<GraphNode> resolve(List<GraphNode> vertices, List<GraphEdge> edges, Map<String, String> reported,
                                   KnownMoves moves, List<String> warnings) {
        return resolve(vertices, edges, reported, moves, Map.of(), warnings);
    }

    /**
     * @param linkOwners device id → the device whose iothread link it follows, where that is another device (a SCSI
     *                   disk's controller)
     */
    static List<GraphNode> resolve(List<GraphNode> vertices, List<GraphEdge> edges, Map<String, String> reported,
                                   KnownMoves moves, Map<String, String> linkOwners, List<String> warnings) {
        Map<String, String> parent = new HashMap<>();
        vertices.forEach(v -> parent.put(v.key(), v.key()));
        for (GraphEdge e : edges) {
            if (parent.containsKey(e.parentKey()) && parent.containsKey(e.childKey())) {
                parent.put(root(parent, e.parentKey()), root(parent, e.childKey()));
            }
        }
        Map<String, List<GraphNode>> components = new LinkedHashMap<>();
        vertices.forEach(v -> components.computeIfAbsent(root(parent, v.key()), k -> new ArrayList<>()).add(v));

        Map<String, Placement> placement = new HashMap<>();
        for (List<GraphNode> component : components.values()) {
            if (reported != null) {
                placeReported(component, reported, placement, warnings);
            } else {
                placeByDeviceLink(component, moves, linkOwners, placement, warnings);
            }
        }
        return vertices.stream().map(v -> v.withPlacement(placement.get(v.key()))).toList();
    }

    private static void placeReported(List<GraphNode> component, Map<String, String> reported,
                                      Map<String, Placement> placement, List<String> warnings) {
        Set<String> contexts = new LinkedHashSet<>();
        for (GraphNode v : component) {
            if (v.isBlockNode() && reported.containsKey(v.name())) {
                contexts.add(String.valueOf(reported.get(v.name())));
            }
        }
        if (contexts.isEmpty()) {
            component.forEach(v -> placement.put(v.key(), Placement.MAIN_LOOP_ASSUMED));
            return;
        }
        String shared = contexts.iterator().next();
        if (contexts.size() > 1) {
            warnings.add("One connected component spans several AioContexts (" + String.join(", ", contexts)
                    .replace("null", "main loop") + "); QEMU never allows that, so the engine's report is inconsistent.");
        }
        for (GraphNode v : component) {
            String ctx = v.isBlockNode() && reported.containsKey(v.name())
                    ? String.valueOf(reported.get(v.name())) : shared;
            placement.put(v.key(), Placement.reported("null".equals(ctx) ? null : ctx));
        }
    }

    private static void placeByDeviceLink(List<GraphNode> component, KnownMoves moves, Map<String, String> linkOwners,
                                          Map<String, Placement> placement, List<String> warnings) {
        Placement p = Placement.MAIN_LOOP_ASSUMED;
        if (component.stream().noneMatch(v -> v.deviceIothread() != null)) {
            p = moves.placementOf(component.stream().filter(GraphNode::isBlockNode).map(GraphNode::name).toList())
                    .orElse(p);
        }
        Set<String> linked = new LinkedHashSet<>();
        for (GraphNode v : component) {
            if (v.deviceIothread() != null) {
                linked.add(v.deviceIothread());
                if (p.source() != Placement.Source.DEVICE_LINK) {
                    p = Placement.deviceLink(v.deviceIothread(), linkOwners.getOrDefault(v.device(), v.device()));
                }
            }
        }
        if (linked.size() > 1) {
            warnings.add("Devices on one component link to different iothreads (" + String.join(", ", linked)
                    + "); QEMU would refuse that once dataplane starts. Shown in " + p.iothread() + ".");
        }
        for (GraphNode v : component) {
            placement.put(v.key(), p);
        }
    }

    private static String root(Map<String, String> parent, String key) {
        String r = key;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        parent.put(key, r);
        return r;
    }
}
