package dev.blockdeck.engine.block.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.engine.block.DetectZeroes;
import dev.blockdeck.engine.block.NodeNames;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.cli.KeyValues;
import dev.blockdeck.engine.cli.OptionError;
import dev.blockdeck.engine.monitor.MainLoop;
import dev.blockdeck.engine.monitor.qapi.ArgumentChecker;
import dev.blockdeck.qmp.QmpException;
import dev.blockdeck.qmp.json.JsonMessageSink;
import dev.blockdeck.qmp.json.QmpJsonStreamer;

/**
 * The block options of the command line: every {@code -blockdev} (key=value or JSON, like blockdev-add; the
 * nodes are monitor-owned) and then every {@code -drive} (a named BlockBackend over a node tree), as QEMU's
 * {@code configure_blockdev} does. Errors read like QEMU's start-up errors.
 */
public final class BlockCommandLine {
    private final String program;
    private final BlockGraph graph;
    private final String machine;
    private final Set<String> driveIds = new HashSet<>();
    private final Set<Integer> noneUnits = new HashSet<>();

    private BlockCommandLine(String program, BlockGraph graph, String machine) {
        this.program = program;
        this.graph = graph;
        this.machine = machine;
    }

    /** Creates the command line's nodes and backends on the main loop, before any monitor listens. */
    public static void createAtStart(String program, MainLoop mainLoop, BlockGraph graph, String machine,
                                     List<String> blockdevs, List<String> drives) throws EngineStartException {
        if (blockdevs.isEmpty() && drives.isEmpty()) {
            return;
        }
        BlockCommandLine cl = new BlockCommandLine(program, graph, machine);
        String[] failed = new String[1];
        try {
            mainLoop.call(() -> {
                for (String b : blockdevs) {
                    try {
                        cl.blockdev(b);
                    } catch (BlockException | QmpException e) {
                        failed[0] = program + ": -blockdev " + b + ": " + message(e);
                        return null;
                    }
                }
                for (String d : drives) {
                    try {
                        cl.drive(d);
                    } catch (BlockException | QmpException e) {
                        failed[0] = program + ": -drive " + d + ": " + message(e);
                        return null;
                    }
                }
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException(program + ": interrupted while opening block devices", e);
        }
        if (failed[0] != null) {
            throw new EngineStartException(failed[0]);
        }
    }

    private static String message(RuntimeException e) {
        if (e instanceof BlockException b && b.hint() != null) {
            return b.getMessage() + "\n" + b.hint().stripTrailing();
        }
        return e instanceof QmpException q ? q.desc() : e.getMessage();
    }

    // ---- -blockdev ---------------------------------------------------------------------------------------------

    /** Parses a -blockdev argument into checked BlockdevOptions (the tree blockdev-add would get). */
    public static ObjectNode parseBlockdev(String text) {
        BlockTypes t = BlockTypes.get();
        ObjectNode tree;
        if (text.startsWith("{")) {
            tree = parseJson(text);
            ArgumentChecker.check(t.blockdevOptions(), tree);
            return tree;
        }
        tree = Keyval.parse(text);
        KeyvalTyper.convert(t.blockdevOptions(), tree, "");
        JsonNode driver = tree.get("driver");
        if (driver == null) {
            throw new BlockException("Parameter 'driver' is missing");
        }
        ArgumentChecker.checkKeyval(t.blockdevOptions(), tree);
        return tree;
    }

    private void blockdev(String text) {
        graph.blockdevAdd(NodeOptions.flatten(parseBlockdev(text)));
    }

    private static ObjectNode parseJson(String text) {
        List<JsonNode> values = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        QmpJsonStreamer s = new QmpJsonStreamer(new JsonMessageSink() {
            @Override
            public void onValue(JsonNode value) {
                values.add(value);
            }

            @Override
            public void onError(String desc) {
                errors.add(desc);
            }
        });
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.feed(b, 0, b.length);
        if (!errors.isEmpty()) {
            throw new BlockException(errors.get(0));
        }
        if (values.isEmpty()) {
            throw new BlockException("JSON parse error, expecting value");
        }
        if (!(values.get(0) instanceof ObjectNode o)) {
            throw new BlockException("Invalid parameter type for '<anonymous>', expected: object");
        }
        return o;
    }

    // ---- -drive ------------------------------------------------------------------------------------------------

    private void drive(String text) {
        Map<String, String> kv;
        try {
            kv = KeyValues.parse(text, null, "-drive " + text);
        } catch (OptionError e) {
            throw new BlockException(e.getMessage());
        }
        Map<String, String> opts = new LinkedHashMap<>();
        kv.forEach((k, v) -> opts.put(k.equals("readonly") ? "read-only" : k, v));
        for (String k : opts.keySet()) {
            if (k.startsWith("throttling.") || k.startsWith("stats-intervals") || k.equals("group")
                    || k.startsWith("iops") || k.startsWith("bps")) {
                throw new BlockException("I/O throttling (" + k + ") is not supported by this engine");
            }
        }
        String id = opts.remove("id");
        if (id != null && !NodeNames.wellFormed(id)) {
            throw new BlockException("Parameter 'id' expects an identifier\n"
                    + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
        }
        if (id != null && !driveIds.add(id)) {
            throw new BlockException("Duplicate ID '" + id + "' for drive");
        }
        String iface = opts.getOrDefault("if", machine.equals("none") ? "none" : "ide");
        opts.remove("if");
        int bus = intOpt(opts.remove("bus"), "bus", 0);
        int unit = intOpt(opts.remove("unit"), "unit", -1);
        String index = opts.remove("index");
        if (!iface.equals("none")) {
            if (machine.equals("none")) {
                throw new BlockException("machine type does not support if=" + iface + ",bus=" + bus + ",unit="
                        + Math.max(unit, 0));
            }
            throw new BlockException("if=" + iface + " needs a controller this engine does not emulate yet "
                    + "(use if=none with -device)");
        }
        if (index != null) {
            unit = intOpt(index, "index", 0);
        }
        if (unit < 0) {
            unit = 0;
            while (noneUnits.contains(unit)) {
                unit++;
            }
        } else if (noneUnits.contains(unit)) {
            throw new BlockException("drive with bus=" + bus + ", unit=" + unit + " (index="
                    + (index == null ? -1 : unit) + ") exists");
        }
        noneUnits.add(unit);
        if (id == null) {
            id = "none" + unit;
            driveIds.add(id);
        }
        String media = opts.remove("media");
        if (media != null && !media.equals("disk")) {
            if (!media.equals("cdrom")) {
                throw new BlockException("'" + media + "' invalid media");
            }
            throw new BlockException("media=cdrom is not supported by this engine");
        }
        if (boolOpt(opts.remove("snapshot"), "snapshot", false)) {
            throw new BlockException("snapshot=on is not supported by this engine");
        }
        if (boolOpt(opts.remove("copy-on-read"), "copy-on-read", false)) {
            throw new BlockException("copy-on-read=on is not supported by this engine");
        }
        String werror = errorAction(opts.remove("werror"), "write", "enospc");
        String rerror = errorAction(opts.remove("rerror"), "read", "report");
        if (opts.remove("addr") != null) {
            throw new BlockException("addr is not supported by this bus type");
        }
        BlockBackend blk = blockdevInit(id, opts);
        blk.setOnError(rerror, werror);
    }

    private static String errorAction(String v, String what, String dflt) {
        if (v == null) {
            return dflt;
        }
        if (!List.of("ignore", "report", "enospc", "stop").contains(v)) {
            throw new BlockException("'" + v + "' invalid " + what + " error action");
        }
        return v;
    }

    private static int intOpt(String v, String key, int dflt) {
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BlockException("Parameter '" + key + "' expects a number");
        }
    }

    private static boolean boolOpt(String v, String key, boolean dflt) {
        return v == null ? dflt : NodeOptions.parseBool(key, v);
    }

    /** QEMU's blockdev_init for a -drive: the backend, then its node tree, then its name. */
    private BlockBackend blockdevInit(String id, Map<String, String> opts) {
        String file = opts.remove("file");
        String format = opts.remove("format");
        String driver = opts.get("driver");
        if (format != null && driver != null) {
            throw new BlockException("Cannot specify both 'driver' and 'format'");
        }
        boolean writethrough = false;
        NodeOptions bs = new NodeOptions();
        String cache = opts.remove("cache");
        if (cache != null) {
            boolean direct;
            boolean noFlush = false;
            switch (cache) {
                case "off", "none" -> direct = true;
                case "directsync" -> {
                    direct = true;
                    writethrough = true;
                }
                case "writeback" -> direct = false;
                case "unsafe" -> {
                    direct = false;
                    noFlush = true;
                }
                case "writethrough" -> {
                    direct = false;
                    writethrough = true;
                }
                default -> throw new BlockException("invalid cache option");
            }
            bs.putString("cache.direct", direct ? "on" : "off");
            bs.putString("cache.no-flush", noFlush ? "on" : "off");
        }
        String wb = opts.remove("cache.writeback");
        if (wb != null) {
            writethrough = !NodeOptions.parseBool("cache.writeback", wb);
        }
        int flags = 0;
        String aio = opts.remove("aio");
        if (aio != null) {
            switch (aio) {
                case "native" -> flags |= BlockNode.O_NATIVE_AIO;
                case "io_uring" -> flags |= BlockNode.O_IO_URING;
                case "threads" -> { }
                default -> throw new BlockException("invalid aio option");
            }
        }
        boolean readOnly = boolOpt(opts.remove("read-only"), "read-only", false);
        String detect = opts.remove("detect-zeroes");
        DetectZeroes dz = DetectZeroes.OFF;
        if (detect != null) {
            dz = DetectZeroes.parse(detect);
            if (dz == null) {
                throw new BlockException("invalid parameter value: " + detect);
            }
        }
        boolean accountInvalid = boolOpt(opts.remove("stats-account-invalid"), "stats-account-invalid", true);
        boolean accountFailed = boolOpt(opts.remove("stats-account-failed"), "stats-account-failed", true);
        if (format != null) {
            if (format.equals("help") || format.equals("?")) {
                throw new BlockException("format=help is not supported here");
            }
            bs.putString("driver", format);
        }
        opts.forEach(bs::putString);
        boolean empty = (file == null || file.isEmpty()) && bs.isEmpty();
        bs.setDefault("cache.direct", "off");
        bs.setDefault("cache.no-flush", "off");
        bs.setDefault("read-only", readOnly ? "on" : "off");
        bs.setDefault("auto-read-only", "on");

        BlockBackend blk = graph.newBackend(graph.mainContext(), BlockPerm.CONSISTENT_READ.bit(), BlockPerm.ALL);
        try {
            if (!empty) {
                BlockNode root = graph.open(file == null || file.isEmpty() ? null : file, null, bs, flags);
                try {
                    graph.insert(blk, root);
                } finally {
                    graph.unref(root);
                }
                root.setDetectZeroes(dz);
            }
            blk.stats().setup(accountInvalid, accountFailed);
            blk.setWriteCache(!writethrough);
            graph.setBackendName(blk, id);
        } catch (RuntimeException e) {
            graph.deleteBackend(blk);
            throw e;
        }
        return blk;
    }
}
