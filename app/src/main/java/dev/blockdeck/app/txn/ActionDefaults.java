package dev.blockdeck.app.txn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.NodeKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prefills a new action from the vertex it was added for (a graph card's key, {@code node:NAME} or
 * {@code backend:NAME}): the target, a snapshot file next to the image that neither exists nor is used by
 * another action of the list, a new overlay's node-name when no BlockBackend holds the node (nothing else
 * would keep the overlay), the bitmaps the node has.
 */
public final class ActionDefaults {

    private static final Pattern SNAP_SUFFIX = Pattern.compile("^(.*?)-snap\\d+$");

    private final BlockState state;
    private final List<TxnAction> composed;
    private final Predicate<String> fileExists;

    /**
     * @param composed   the actions already in the list (their files and names are taken)
     * @param fileExists whether a file name is taken on disk
     */
    public ActionDefaults(BlockState state, List<TxnAction> composed, Predicate<String> fileExists) {
        this.state = state;
        this.composed = List.copyOf(composed);
        this.fileExists = fileExists;
    }

    /** Which actions make sense for a vertex key; every kind when nothing is selected. */
    public static List<ActionKind> kindsFor(BlockState state, String key) {
        Optional<GraphNode> n = key == null ? Optional.empty() : state.node(key);
        if (n.isEmpty()) {
            return List.of(ActionKind.values());
        }
        if (n.get().kind() == NodeKind.JOB) {
            return List.of(ActionKind.ABORT);
        }
        return List.of(ActionKind.values());
    }

    public TxnAction create(ActionKind kind, String key) {
        TxnAction a = TxnAction.of(kind);
        Optional<GraphNode> vertex = key == null ? Optional.empty() : state.node(key).filter(v -> v.kind() != NodeKind.JOB);
        if (kind == ActionKind.SNAPSHOT_SYNC) {
            a = a.with("format", "qcow2");
        }
        if (vertex.isEmpty() || kind == ActionKind.ABORT) {
            return a;
        }
        GraphNode v = vertex.get();
        boolean backend = v.kind() == NodeKind.BACKEND;
        Optional<GraphNode> image = backend ? root(v) : Optional.of(v);
        return switch (kind) {
            case SNAPSHOT_SYNC -> {
                a = a.with(backend ? "device" : "node-name", v.name());
                String base = image.map(GraphNode::name).orElse(v.name());
                a = a.with("snapshot-file", snapshotFile(image.map(GraphNode::file).orElse(""), base));
                if (!backend && !hasBackend(v)) {
                    a = a.with("snapshot-node-name", overlayName(base));
                }
                yield a;
            }
            case BITMAP_ADD -> a.with("node", v.name()).with("name", newBitmapName(v.name(), image));
            case BITMAP_MERGE -> {
                List<String> have = bitmaps(image);
                a = a.with("node", v.name());
                if (!have.isEmpty()) {
                    a = a.with("target", have.get(0)).with("bitmaps", String.join(", ", have.subList(1, have.size())));
                }
                yield a;
            }
            default -> a.with("node", v.name()).with("name", bitmaps(image).stream().findFirst().orElse(""));
        };
    }

    /** The bitmaps of a node-name or BlockBackend name, sorted; empty when unknown. */
    public List<String> bitmapsOf(String nodeOrBackend) {
        Optional<GraphNode> v = state.node(GraphNode.nodeKey(nodeOrBackend));
        if (v.isEmpty()) {
            v = state.node("backend:" + nodeOrBackend).flatMap(this::root);
        }
        return bitmaps(v);
    }

    /** Every node-name, then every BlockBackend name: what a node field may hold. */
    public static List<String> targets(BlockState state) {
        List<String> names = new ArrayList<>();
        state.nodes().stream().filter(GraphNode::isBlockNode).map(GraphNode::name).sorted().forEach(names::add);
        state.nodes().stream().filter(n -> n.kind() == NodeKind.BACKEND && !n.name().startsWith("("))
                .map(GraphNode::name).sorted().forEach(names::add);
        return names;
    }

    private Optional<GraphNode> root(GraphNode backend) {
        return state.edges().stream().filter(e -> e.parentKey().equals(backend.key())).findFirst()
                .flatMap(e -> state.node(e.childKey()));
    }

    private boolean hasBackend(GraphNode node) {
        return state.edges().stream().filter(e -> e.childKey().equals(node.key())).map(GraphEdge::parentKey)
                .anyMatch(p -> p.startsWith("backend:"));
    }

    private List<String> bitmaps(Optional<GraphNode> node) {
        TreeSet<String> names = new TreeSet<>();
        node.flatMap(n -> state.detail(n.key())).ifPresent(entry -> {
            for (JsonNode b : entry.path("dirty-bitmaps")) {
                names.add(b.path("name").asText());
            }
        });
        return List.copyOf(names);
    }

    /** {@code /images/disk0.qcow2} → {@code /images/disk0-snap1.qcow2}; a snapshot's own suffix is replaced. */
    String snapshotFile(String imageFile, String nodeName) {
        Path dir;
        String stem;
        if (imageFile.isEmpty() || imageFile.startsWith("json:") || !imageFile.startsWith("/")) {
            dir = Path.of(System.getProperty("java.io.tmpdir"));
            stem = nodeName.replaceAll("[^A-Za-z0-9._-]", "");
        } else {
            Path p = Path.of(imageFile);
            dir = p.getParent() == null ? Path.of("/") : p.getParent();
            String file = p.getFileName().toString();
            int dot = file.lastIndexOf('.');
            stem = dot > 0 ? file.substring(0, dot) : file;
        }
        String base = unsuffixed(stem.isEmpty() ? "overlay" : stem);
        for (int n = 1; ; n++) {
            String candidate = dir.resolve(base + "-snap" + n + ".qcow2").toString();
            if (!fileExists.test(candidate) && composed.stream()
                    .noneMatch(a -> a.kind() == ActionKind.SNAPSHOT_SYNC && a.value("snapshot-file").equals(candidate))) {
                return candidate;
            }
        }
    }

    /** {@code disk0} → {@code disk0-snap1}, free in the graph and in the list; auto names lose their '#'. */
    private String overlayName(String nodeName) {
        String base = unsuffixed(nodeName.replace("#", ""));
        for (int n = 1; ; n++) {
            String candidate = base + "-snap" + n;
            if (state.node(GraphNode.nodeKey(candidate)).isEmpty() && composed.stream()
                    .noneMatch(a -> a.value("snapshot-node-name").equals(candidate))) {
                return candidate;
            }
        }
    }

    private String newBitmapName(String target, Optional<GraphNode> image) {
        List<String> have = bitmaps(image);
        for (int n = 0; ; n++) {
            String candidate = "bitmap" + n;
            if (!have.contains(candidate) && composed.stream().noneMatch(a -> a.kind() == ActionKind.BITMAP_ADD
                    && a.value("node").equals(target) && a.value("name").equals(candidate))) {
                return candidate;
            }
        }
    }

    private static String unsuffixed(String stem) {
        Matcher m = SNAP_SUFFIX.matcher(stem);
        return m.matches() ? m.group(1) : stem;
    }
}
