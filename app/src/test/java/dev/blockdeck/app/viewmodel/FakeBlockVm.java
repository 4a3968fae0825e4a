package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.QmpCommands;
import dev.blockdeck.qmp.QmpCommandException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small VM for ViewModel tests: block nodes, BlockBackends with virtio-blk-pci devices and iothreads, answering
 * the queries the graph reads and the commands a move sends, in QEMU 7.2's shapes and words (recorded with the real
 * QEMU; see the recordings next to {@code Recording}). As the engine ({@link #engine}) it reports AioContexts and
 * moves devices live; as a QEMU it refuses to move a node a BlockBackend holds. Thread-safe.
 */
final class FakeBlockVm implements QmpCommands {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private record Backend(String name, String device, String root, String bus, int addr, boolean hotpluggable) {
    }

    private final boolean engine;
    private final Set<String> iothreads = new LinkedHashSet<>();
    /** iothread → the poll parameters object-add set (the others have QEMU's defaults). */
    private final Map<String, ObjectNode> iothreadParams = new HashMap<>();
    /** node-name → children (role → child node-name), in creation order. */
    private final Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
    private final Map<String, String> drivers = new HashMap<>();
    /** node-name → iothread (absent: main loop). */
    private final Map<String, String> contexts = new HashMap<>();
    private final Map<String, Backend> backends = new LinkedHashMap<>();
    /** device id → its iothread link. */
    private final Map<String, String> links = new HashMap<>();
    /** Every command, as {@code name {args}}. */
    final List<String> asked = new CopyOnWriteArrayList<>();
    /** Commands that fail with this GenericError text instead of running. */
    final Map<String, String> failing = new HashMap<>();

    FakeBlockVm(boolean engine) {
        this.engine = engine;
    }

    synchronized FakeBlockVm iothread(String id) {
        iothreads.add(id);
        return this;
    }

    synchronized FakeBlockVm node(String name, String driver, String... roleAndChild) {
        Map<String, String> children = new LinkedHashMap<>();
        for (int i = 0; i + 1 < roleAndChild.length; i += 2) {
            children.put(roleAndChild[i], roleAndChild[i + 1]);
        }
        nodes.put(name, children);
        drivers.put(name, driver);
        return this;
    }

    /** A -drive with a device (device null: none), on a bus; the device's iothread link moves the component. */
    synchronized FakeBlockVm drive(String name, String root, String device, String iothread, String bus, int addr,
                                   boolean hotpluggable) {
        backends.put(name, new Backend(name, device, root, bus, addr, hotpluggable));
        if (device != null && iothread != null) {
            links.put(device, iothread);
            setContext(root, iothread);
        }
        return this;
    }

    synchronized String contextOf(String node) {
        return contexts.get(node);
    }

    synchronized String linkOf(String device) {
        return links.get(device);
    }

    synchronized Set<String> iothreads() {
        return Set.copyOf(iothreads);
    }

    long count(String command) {
        return asked.stream().filter(a -> a.equals(command) || a.startsWith(command + " ")).count();
    }

    @Override
    public synchronized CompletableFuture<JsonNode> execute(String command, ObjectNode args) {
        asked.add(args == null ? command : command + " " + args);
        try {
            if (failing.containsKey(command)) {
                throw new QmpCommandException("GenericError", failing.get(command));
            }
            return CompletableFuture.completedFuture(answer(command, args));
        } catch (QmpCommandException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private JsonNode answer(String command, ObjectNode args) {
        return switch (command) {
            case "query-commands" -> commands();
            case "query-named-block-nodes" -> namedNodes();
            case "x-debug-query-block-graph" -> graph();
            case "query-block" -> queryBlock();
            case "query-iothreads" -> queryIothreads();
            case "__dev.blockdeck_query-aio-contexts" -> {
                if (!engine) {
                    throw notFound(command);
                }
                ArrayNode a = JSON.arrayNode();
                nodes.keySet().forEach(n -> a.addObject().put("node-name", n).put("iothread", contexts.get(n)));
                yield a;
            }
            case "qom-get" -> answerQomGet(args.path("path").asText(), args.path("property").asText());
            case "x-blockdev-set-iothread" -> setIothread(args);
            case "__dev.blockdeck_device-set-iothread" -> {
                if (!engine) {
                    throw notFound(command);
                }
                String id = args.path("id").asText();
                Backend b = backends.values().stream().filter(x -> id.equals(x.device())).findFirst()
                        .orElseThrow(() -> new QmpCommandException("DeviceNotFound", "Device '" + id + "' not found"));
                String to = iothread(args.path("iothread"));
                if (to == null) {
                    links.remove(id);
                } else {
                    links.put(id, to);
                }
                setContext(b.root(), to);
                yield JSON.objectNode();
            }
            case "object-add" -> {
                String id = args.path("id").asText();
                if (!iothreads.add(id)) {
                    throw new QmpCommandException("GenericError",
                            "attempt to add duplicate property '" + id + "' to object (type 'container')");
                }
                ObjectNode params = JSON.objectNode();
                args.fields().forEachRemaining(f -> {
                    if (!f.getKey().equals("id") && !f.getKey().equals("qom-type")) {
                        params.set(f.getKey(), f.getValue());
                    }
                });
                iothreadParams.put(id, params);
                yield JSON.objectNode();
            }
            case "object-del" -> {
                String id = args.path("id").asText();
                if (!iothreads.contains(id)) {
                    throw new QmpCommandException("GenericError", "object '" + id + "' not found");
                }
                if (engine && contexts.containsValue(id)) {
                    throw new QmpCommandException("GenericError", "object '" + id + "' is in use, can not be deleted:"
                            + " block nodes, devices or jobs still run in its AioContext (move them to another"
                            + " iothread or the main loop first)");
                }
                iothreads.remove(id);
                iothreadParams.remove(id);
                yield JSON.objectNode();
            }
            default -> throw notFound(command);
        };
    }

    private JsonNode setIothread(ObjectNode args) {
        String node = args.path("node-name").asText();
        if (!nodes.containsKey(node)) {
            throw new QmpCommandException("GenericError", "Failed to find node with node-name='" + node + "'");
        }
        String to = iothread(args.path("iothread"));
        Set<String> component = component(node);
        List<Backend> users = backends.values().stream().filter(b -> component.contains(b.root())).toList();
        if (!users.isEmpty() && !args.path("force").asBoolean(false)) {
            throw new QmpCommandException("GenericError", "Node " + node + " is associated with a BlockBackend and"
                    + " could be in use (use force=true to override this check)");
        }
        if (users.stream().anyMatch(b -> b.device() != null)) {
            throw new QmpCommandException("GenericError", "Cannot change iothread of active block backend");
        }
        setContext(node, to);
        return JSON.objectNode();
    }

    private String iothread(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!iothreads.contains(value.asText())) {
            throw new QmpCommandException("GenericError", "Cannot find iothread " + value.asText());
        }
        return value.asText();
    }

    private void setContext(String node, String iothread) {
        for (String n : component(node)) {
            if (iothread == null) {
                contexts.remove(n);
            } else {
                contexts.put(n, iothread);
            }
        }
    }

    private Set<String> component(String node) {
        Set<String> seen = new HashSet<>(List.of(node));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Map<String, String>> e : nodes.entrySet()) {
                for (String child : e.getValue().values()) {
                    if (seen.contains(e.getKey()) != seen.contains(child)) {
                        seen.add(e.getKey());
                        seen.add(child);
                        grew = true;
                    }
                }
            }
        }
        return seen;
    }

    private JsonNode commands() {
        ArrayNode a = JSON.arrayNode();
        List<String> names = new ArrayList<>(List.of("query-named-block-nodes", "x-debug-query-block-graph",
                "query-block", "query-iothreads", "qom-get", "x-blockdev-set-iothread", "object-add", "object-del"));
        if (engine) {
            names.add("__dev.blockdeck_device-set-iothread");
            names.add("__dev.blockdeck_query-aio-contexts");
        }
        names.forEach(n -> a.addObject().put("name", n));
        return a;
    }

    private ObjectNode nodeInfo(String name) {
        return JSON.objectNode().put("node-name", name).put("drv", drivers.get(name)).put("ro", false)
                .put("file", "json:{\"driver\": \"" + drivers.get(name) + "\", \"size\": \"1G\"}")
                .set("image", JSON.objectNode().put("virtual-size", 1L << 30));
    }

    private JsonNode namedNodes() {
        ArrayNode a = JSON.arrayNode();
        nodes.keySet().forEach(n -> a.add(nodeInfo(n)));
        return a;
    }

    private JsonNode graph() {
        ObjectNode g = JSON.objectNode();
        ArrayNode ns = g.putArray("nodes");
        ArrayNode es = g.putArray("edges");
        Map<String, Integer> ids = new HashMap<>();
        int id = 1;
        for (String n : nodes.keySet()) {
            ids.put(n, id);
            ns.addObject().put("id", id++).put("type", "block-driver").put("name", n);
        }
        for (Backend b : backends.values()) {
            int bid = id++;
            ns.addObject().put("id", bid).put("type", "block-backend").put("name", b.name());
            es.addObject().put("parent", bid).put("child", ids.get(b.root())).put("name", "root")
                    .set("perm", JSON.arrayNode());
        }
        nodes.forEach((parent, children) -> children.forEach((role, child) -> es.addObject()
                .put("parent", ids.get(parent)).put("child", ids.get(child)).put("name", role)
                .set("perm", JSON.arrayNode())));
        return g;
    }

    private JsonNode queryBlock() {
        ArrayNode a = JSON.arrayNode();
        for (Backend b : backends.values()) {
            ObjectNode e = a.addObject().put("device", b.name());
            if (b.device() != null) {
                e.put("qdev", "/machine/peripheral/" + b.device() + "/virtio-backend");
            }
            e.set("inserted", nodeInfo(b.root()).set("cache", JSON.objectNode().put("writeback", true)
                    .put("direct", false).put("no-flush", false)));
        }
        return a;
    }

    private JsonNode queryIothreads() {
        ArrayNode a = JSON.arrayNode();
        int tid = 4000;
        for (String t : iothreads) {
            // QEMU 7.2's members and defaults
            ObjectNode e = a.addObject().put("id", t).put("thread-id", tid++).put("poll-max-ns", 32768)
                    .put("poll-grow", 0).put("poll-shrink", 0).put("aio-max-batch", 0);
            e.setAll(iothreadParams.getOrDefault(t, JSON.objectNode()));
        }
        return a;
    }

    private JsonNode answerQomGet(String path, String property) {
        String id = path.substring(path.lastIndexOf('/') + 1);
        Backend b = backends.values().stream().filter(x -> id.equals(x.device())).findFirst()
                .orElseThrow(() -> new QmpCommandException("DeviceNotFound", "Device '" + path + "' not found"));
        return switch (property) {
            case "type" -> JSON.textNode("virtio-blk-pci");
            case "iothread" -> JSON.textNode(links.containsKey(id) ? "/objects/" + links.get(id) : "");
            case "parent_bus" -> JSON.textNode(b.bus().equals("pcie.0") ? "/machine/q35/pcie.0"
                    : "/machine/peripheral/" + b.bus() + "/" + b.bus());
            case "addr" -> JSON.numberNode(b.addr());
            case "hotpluggable" -> JSON.booleanNode(b.hotpluggable());
            case "drive" -> JSON.textNode(b.name());
            case "bootindex" -> JSON.numberNode(-1);
            case "serial" -> JSON.textNode("");
            case "share-rw" -> JSON.booleanNode(false);
            default -> throw new QmpCommandException("GenericError", "Property 'virtio-blk-pci." + property
                    + "' not found");
        };
    }

    private static QmpCommandException notFound(String command) {
        return new QmpCommandException("CommandNotFound", "The command " + command + " has not been found");
    }
}
