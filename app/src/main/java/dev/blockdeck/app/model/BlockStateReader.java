package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.qmp.QmpCommandException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Reads one {@link BlockState} over QMP. The same queries work against the engine and a real QEMU 7.2:
 * {@code query-named-block-nodes} (required), {@code x-debug-query-block-graph}, {@code query-block},
 * {@code query-iothreads}, and for AioContexts the engine's {@value #AIO_CONTEXTS}, else {@code qom-get} of
 * each device's {@code iothread} link (see {@link Placements}).
 */
public final class BlockStateReader {

    /** Engine extension: {@code [{"node-name": str, "iothread": str | null}]}, null = main loop. */
    public static final String AIO_CONTEXTS = "__dev.blockdeck_query-aio-contexts";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String PERIPHERAL = "/machine/peripheral/";
    private static final String VIRTIO_BACKEND = "/virtio-backend";

    private final QmpCommands qmp;
    private final KnownMoves moves;
    /** Set after the first CommandNotFound: QEMU will not grow the command during a session. */
    private volatile boolean aioContextsMissing;

    public BlockStateReader(QmpCommands qmp) {
        this(qmp, new KnownMoves());
    }

    /** @param moves this console's moves, for a VM that does not report AioContexts */
    public BlockStateReader(QmpCommands qmp, KnownMoves moves) {
        this.qmp = qmp;
        this.moves = moves;
    }

    /** An answer or the error that replaced it. */
    private record Answer(JsonNode value, Throwable error) {
        boolean ok() {
            return error == null && value != null;
        }
    }

    public CompletableFuture<BlockState> read() {
        ObjectNode flat = JSON.objectNode().put("flat", true);
        CompletableFuture<Answer> named = ask("query-named-block-nodes", flat);
        CompletableFuture<Answer> graph = ask("x-debug-query-block-graph", null);
        CompletableFuture<Answer> block = ask("query-block", null);
        CompletableFuture<Answer> threads = ask("query-iothreads", null);
        CompletableFuture<Answer> aio = aioContextsMissing
                ? CompletableFuture.completedFuture(new Answer(null, null)) : ask(AIO_CONTEXTS, null);
        return CompletableFuture.allOf(named, graph, block, threads, aio).thenCompose(v -> {
            if (!named.join().ok()) {
                Throwable e = named.join().error();
                return CompletableFuture.completedFuture(BlockState.unavailable(
                        e instanceof QmpCommandException q && "CommandNotFound".equals(q.getErrorClass())
                                ? "No block graph: this VM does not answer query-named-block-nodes (CommandNotFound)."
                                : "Reading the block graph failed: query-named-block-nodes: " + describe(e)));
            }
            List<String> warnings = new ArrayList<>();
            Map<String, String> reported = contexts(aio.join(), warnings);
            if (!block.join().ok()) {
                return CompletableFuture.completedFuture(build(named.join(), graph.join(), block.join(),
                        threads.join(), reported, Map.of(), moves, warnings));
            }
            // the devices' iothread links are shown on their cards even where the engine reports every context
            return new DeviceLinks(qmp).read(block.join().value()).thenApply(links -> build(named.join(), graph.join(),
                    block.join(), threads.join(), reported, links, moves, warnings));
        });
    }

    private CompletableFuture<Answer> ask(String command, ObjectNode arguments) {
        CompletableFuture<JsonNode> f;
        try {
            f = qmp.execute(command, arguments);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((value, error) -> new Answer(value, error == null ? null : unwrap(error)));
    }

    /** node-name → iothread (null value = main loop), or null when the VM does not report contexts. */
    private Map<String, String> contexts(Answer aio, List<String> warnings) {
        if (aio.error() instanceof QmpCommandException q && "CommandNotFound".equals(q.getErrorClass())) {
            aioContextsMissing = true;
            return null;
        }
        if (aio.error() != null) {
            warnings.add(AIO_CONTEXTS + " failed (" + describe(aio.error()) + "); contexts are assumed.");
            return null;
        }
        if (aio.value() == null || !aio.value().isArray()) {
            return null;
        }
        Map<String, String> map = new HashMap<>();
        for (JsonNode e : aio.value()) {
            JsonNode t = e.path("iothread");
            map.put(e.path("node-name").asText(), t.isTextual() ? iothreadId(t.asText()) : null);
        }
        return map;
    }

    private static BlockState build(Answer named, Answer graph, Answer block, Answer threads,
                                    Map<String, String> reported, Map<String, DeviceLinks.Link> links, KnownMoves moves,
                                    List<String> warnings) {
        Map<String, JsonNode> nodeInfo = new LinkedHashMap<>();
        for (JsonNode n : named.value()) {
            nodeInfo.put(n.path("node-name").asText(), n);
        }
        moves.retain(nodeInfo.keySet());
        Map<String, JsonNode> backends = new HashMap<>();
        if (block.ok()) {
            for (JsonNode bb : block.value()) {
                String device = bb.path("device").asText("");
                backends.put(device.isEmpty() ? bb.path("qdev").asText("") : device, bb);
            }
        } else {
            warnings.add("query-block failed (" + describe(block.error()) + "): devices are not shown.");
        }

        List<Vertex> vertices = new ArrayList<>();
        List<GraphEdge> edges = new ArrayList<>();
        if (graph.ok()) {
            fromDebugGraph(graph.value(), vertices, edges);
        } else {
            warnings.add("x-debug-query-block-graph failed (" + describe(graph.error())
                    + "): only BlockBackend root edges are shown.");
            fromQueryBlock(nodeInfo, backends, vertices, edges);
        }
        // a node listed by query-named-block-nodes but missing from the graph still gets a card
        for (String name : nodeInfo.keySet()) {
            if (vertices.stream().noneMatch(v -> v.type.equals("block-driver") && v.name.equals(name))) {
                vertices.add(new Vertex(GraphNode.nodeKey(name), "block-driver", name));
            }
        }

        Map<String, JsonNode> details = new HashMap<>();
        List<GraphNode> nodes = new ArrayList<>();
        for (Vertex v : vertices) {
            JsonNode detail = switch (v.type) {
                case "block-driver" -> nodeInfo.get(v.name);
                case "block-backend" -> backends.get(v.name);
                default -> null;
            };
            if (detail != null) {
                details.put(v.key, detail);
            }
            boolean hasChildren = edges.stream().anyMatch(e -> e.parentKey().equals(v.key));
            nodes.add(switch (v.type) {
                case "block-driver" -> blockNode(v, nodeInfo.get(v.name), hasChildren);
                case "block-backend" -> backend(v, backends.get(v.name), links);
                default -> new GraphNode(v.key, NodeKind.JOB, v.name, "", "", -1, false, 0, "", null,
                        Placement.MAIN_LOOP_ASSUMED);
            });
        }
        Map<String, String> linkOwners = new HashMap<>();
        links.forEach((qdev, link) -> linkOwners.put(deviceId(qdev), link.owner()));
        nodes = Placements.resolve(nodes, edges, reported, moves, linkOwners, warnings);
        if (threads.ok()) {
            threads.value().forEach(t -> details.put(BlockState.iothreadKey(t.path("id").asText()), t));
        }
        return new BlockState(nodes, edges, iothreads(threads, warnings), warnings, null, details);
    }

    private record Vertex(String key, String type, String name) {
    }

    private static void fromDebugGraph(JsonNode graph, List<Vertex> vertices, List<GraphEdge> edges) {
        Map<Long, String> keyById = new HashMap<>();
        // the lists come out reversed (newest first); put them back in creation order for a stable layout
        List<JsonNode> list = new ArrayList<>();
        graph.path("nodes").forEach(list::add);
        list.sort((a, b) -> Long.compare(a.path("id").asLong(), b.path("id").asLong()));
        for (JsonNode n : list) {
            String type = n.path("type").asText();
            String name = n.path("name").asText("");
            long id = n.path("id").asLong();
            String key = switch (type) {
                case "block-driver" -> GraphNode.nodeKey(name);
                case "block-backend" -> "backend:" + (name.isEmpty() ? "#" + id : name);
                default -> "job:" + (name.isEmpty() ? "#" + id : name);
            };
            keyById.put(id, key);
            vertices.add(new Vertex(key, type, name));
        }
        List<JsonNode> edgeList = new ArrayList<>();
        graph.path("edges").forEach(e -> edgeList.add(0, e));
        for (JsonNode e : edgeList) {
            String parent = keyById.get(e.path("parent").asLong());
            String child = keyById.get(e.path("child").asLong());
            if (parent != null && child != null) {
                edges.add(new GraphEdge(parent, child, e.path("name").asText(), strings(e.path("perm")),
                        strings(e.path("shared-perm"))));
            }
        }
    }

    private static void fromQueryBlock(Map<String, JsonNode> nodeInfo, Map<String, JsonNode> backends,
                                       List<Vertex> vertices, List<GraphEdge> edges) {
        backends.forEach((name, bb) -> {
            String key = "backend:" + name;
            vertices.add(new Vertex(key, "block-backend", name));
            String root = bb.path("inserted").path("node-name").asText("");
            if (nodeInfo.containsKey(root)) {
                edges.add(new GraphEdge(key, GraphNode.nodeKey(root), "root", List.of(), List.of()));
            }
        });
    }

    private static GraphNode blockNode(Vertex v, JsonNode info, boolean hasChildren) {
        if (info == null) {
            return new GraphNode(v.key, NodeKind.ofDriver("", hasChildren), v.name, "?", "", -1, false, 0, "",
                    null, Placement.MAIN_LOOP_ASSUMED);
        }
        String driver = info.path("drv").asText("");
        return new GraphNode(v.key, NodeKind.ofDriver(driver, hasChildren), v.name, driver,
                info.path("file").asText(""), info.path("image").path("virtual-size").asLong(-1),
                info.path("ro").asBoolean(false), info.path("dirty-bitmaps").size(), "", null,
                Placement.MAIN_LOOP_ASSUMED);
    }

    private static GraphNode backend(Vertex v, JsonNode bb, Map<String, DeviceLinks.Link> links) {
        String qdev = bb == null ? "" : bb.path("qdev").asText("");
        String device = qdev.isEmpty() ? "" : deviceId(qdev);
        // an anonymous BlockBackend is named after its device's QOM path: show the device id instead
        String name = v.name.isEmpty() ? "(job internal)" : v.name.startsWith("/") ? deviceId(v.name) : v.name;
        boolean ro = bb != null && bb.path("inserted").path("ro").asBoolean(false);
        DeviceLinks.Link link = links.get(qdev);
        return new GraphNode(v.key, NodeKind.BACKEND, name, "", "", -1, ro, 0, device, link == null ? null : link.iothread(),
                Placement.MAIN_LOOP_ASSUMED);
    }

    private static List<IoThreadInfo> iothreads(Answer threads, List<String> warnings) {
        List<IoThreadInfo> list = new ArrayList<>();
        if (!threads.ok()) {
            warnings.add("query-iothreads failed (" + describe(threads.error()) + ").");
            return list;
        }
        for (JsonNode t : threads.value()) {
            list.add(new IoThreadInfo(t.path("id").asText(), t.path("thread-id").asLong(-1),
                    t.path("poll-max-ns").asLong(-1)));
        }
        return list;
    }

    /** {@code /machine/peripheral/vblk0/virtio-backend} or {@code vblk0} → the device's QOM path. */
    static String devicePath(String qdev) {
        if (!qdev.startsWith("/")) {
            return PERIPHERAL + qdev;
        }
        return qdev.endsWith(VIRTIO_BACKEND) ? qdev.substring(0, qdev.length() - VIRTIO_BACKEND.length()) : qdev;
    }

    /** The device's id when it has one ({@code vblk0}), else its QOM path. */
    static String deviceId(String qdev) {
        String path = devicePath(qdev);
        return path.startsWith(PERIPHERAL) ? path.substring(PERIPHERAL.length()) : path;
    }

    /** {@code /objects/iothread0} (a QOM link) or {@code iothread0} → {@code iothread0}. */
    public static String iothreadId(String pathOrId) {
        return pathOrId.startsWith("/objects/") ? pathOrId.substring("/objects/".length()) : pathOrId;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(s -> list.add(s.asText()));
        return list;
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof QmpCommandException q) {
            return q.getErrorClass() + ": " + q.getDesc();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
