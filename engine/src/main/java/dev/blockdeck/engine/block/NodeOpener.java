package dev.blockdeck.engine.block;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.Drivers;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.qmp.json.QdictOrder;

/**
 * Opening nodes (QEMU's bdrv_open_inherit and its helpers): options inheritance and defaults, the driver and its
 * probe, the {@code file} and {@code backing} children, node names, and the clean-up of a failed open. Main loop.
 */
final class NodeOpener {
    private final BlockGraph graph;

    NodeOpener(BlockGraph graph) {
        this.graph = graph;
    }

    BlockNode openInherit(String filename, String reference, NodeOptions options, int flags,
                                  BlockNode parent, int childRole) {
        if (reference != null) {
            if (filename != null || (options != null && !options.isEmpty())) {
                throw new BlockException("Cannot reference an existing block device with additional options "
                        + "or a new filename");
            }
            BlockNode bs = graph.lookupBs(reference, reference);
            bs.ref();
            return bs;
        }
        if (options == null) {
            options = new NodeOptions();
        }
        if (filename != null && filename.startsWith("json:")) {
            joinJsonFilename(options, filename);
            filename = null;
        }
        NodeOptions explicit = options.copy();
        if (parent != null) {
            boolean parentIsFormat = parent.driver() == null || parent.driver().isFormat();
            flags = inheritOptions(childRole, parentIsFormat, options, parent.openFlags(), parent.options());
        }
        int[] fl = {flags};
        BlockDriver drv = fillOptions(options, filename, fl);
        flags = fl[0];
        String ro = options.getString("read-only");
        JsonNode roNode = options.get("read-only");
        boolean roTrue = roNode != null && roNode.isBoolean() && roNode.booleanValue();
        if (!"on".equals(ro) && !roTrue) {
            flags |= BlockNode.O_RDWR | BlockNode.O_ALLOW_RDWR;
        } else {
            flags &= ~BlockNode.O_RDWR;
        }
        BlockNode bs = new BlockNode(graph, graph.mainContext());
        bs.setInheritsFrom(parent);
        bs.setOpenFlags(flags);
        bs.setOptions(options, explicit);
        NodeOptions work = options.copy();
        JsonNode backing = work.get("backing");
        if (backing != null && (backing.isNull() || (backing.isTextual() && backing.textValue().isEmpty()))) {
            flags |= BlockNode.O_NO_BACKING;
            bs.setOpenFlags(flags);
            options.remove("backing");
            explicit.remove("backing");
            work.remove("backing");
        }
        BlockNode fileBs = null;
        boolean opened = false;
        try {
            if ((flags & BlockNode.O_PROTOCOL) == 0) {
                fileBs = openChildBs(filename, work, "file", bs, ChildRole.IMAGE, true);
                if (fileBs != null) {
                    work.putString("file", fileBs.name());
                }
            }
            if (drv == null) {
                if (fileBs == null) {
                    throw new BlockException("Must specify either driver or file");
                }
                drv = probe(fileBs);
                options.putString("driver", drv.formatName());
                work.putString("driver", drv.formatName());
            }
            openCommon(bs, drv, fileBs, work);
            opened = true;
        } finally {
            if (fileBs != null) {
                graph.unref(fileBs);
            }
            if (!opened) {
                closeFailed(bs);
            }
        }
        try {
            openBackingFile(bs, work);
            for (BdrvChild c : bs.childEdges()) {
                options.extract(c.name());
                options.remove(c.name());
                explicit.extract(c.name());
                explicit.remove(c.name());
            }
            if (!work.isEmpty()) {
                String first = firstInQdictOrder(work);
                if (drv.isProtocol()) {
                    throw new BlockException("Block protocol '" + drv.formatName()
                            + "' doesn't support the option '" + first + "'");
                }
                throw new BlockException("Block format '" + drv.formatName()
                        + "' does not support the option '" + first + "'");
            }
        } catch (BlockException e) {
            graph.unref(bs);
            throw e;
        }
        return bs;
    }

    /**
     * QEMU's bdrv_open_backing_file: the {@code backing} child from the options (a reference or inline options)
     * or, when none is given, from what the image header names (with its backing format as the driver).
     */
    private void openBackingFile(BlockNode bs, NodeOptions work) {
        if (bs.backing() != null || !bs.driver().supportsBacking() || (bs.openFlags() & BlockNode.O_NO_BACKING) != 0) {
            return;
        }
        NodeOptions opts = work.extract("backing");
        String reference = work.getString("backing");
        work.remove("backing");
        String filename = null;
        boolean implicit = false;
        if (reference == null && !opts.has("file.filename")) {
            if (bs.backingFile().isEmpty() && opts.isEmpty()) {
                return;
            }
            if (!bs.backingFile().isEmpty()) {
                // options that only tune the header's backing file (backing.node-name=... with -drive) still open
                // that file; only with no options at all is it the implicit backing file
                implicit = opts.isEmpty();
                try {
                    filename = BackingFilenames.full(bs);
                } catch (BlockException e) {
                    throw new BlockException("Could not open backing file: " + e.getMessage());
                }
            }
        }
        if (reference == null && !bs.backingFormat().isEmpty() && !opts.has("driver")) {
            opts.putString("driver", bs.backingFormat());
        }
        BlockNode hd;
        try {
            hd = openInherit(filename, reference, opts, 0, bs, ChildRole.COW);
        } catch (BlockException e) {
            throw new BlockException("Could not open backing file: " + e.getMessage());
        }
        graph.attachChild(bs, hd, "backing", ChildRole.COW);
        if (implicit) {
            hd.refreshFilename();
            bs.setAutoBackingFile(hd.filename());
        }
    }

    private static String firstInQdictOrder(NodeOptions o) {
        Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries(o.toFlatJson());
        return it.next().getKey();
    }

    private static void joinJsonFilename(NodeOptions options, String filename) {
        JsonNode parsed;
        try {
            parsed = new ObjectMapper().readTree(filename.substring(5));
        } catch (java.io.IOException e) {
            throw new BlockException("Could not parse the JSON options: " + e.getMessage());
        }
        if (!(parsed instanceof ObjectNode obj)) {
            throw new BlockException("Invalid JSON object given");
        }
        NodeOptions j = NodeOptions.flatten(obj);
        for (String k : j.keyList()) {
            if (!options.has(k)) {
                options.put(k, j.get(k));
            }
        }
    }

    /** QEMU's bdrv_inherited_options for children of nodes; returns the child's flags. */
    private static int inheritOptions(int role, boolean parentIsFormat, NodeOptions child, int parentFlags,
                                      NodeOptions parentOptions) {
        int flags = parentFlags;
        if (!parentIsFormat && ChildRole.has(role, ChildRole.DATA)
                && !ChildRole.has(role, ChildRole.METADATA | ChildRole.FILTERED)) {
            flags &= ~BlockNode.O_PROTOCOL;
        }
        if ((parentIsFormat && !ChildRole.has(role, ChildRole.COW)) || ChildRole.has(role, ChildRole.METADATA)) {
            flags |= BlockNode.O_PROTOCOL;
        }
        child.copyDefault(parentOptions, "cache.direct");
        child.copyDefault(parentOptions, "cache.no-flush");
        child.copyDefault(parentOptions, "force-share");
        if (ChildRole.has(role, ChildRole.COW)) {
            child.setDefault("read-only", "on");
            child.setDefault("auto-read-only", "off");
        } else {
            child.copyDefault(parentOptions, "read-only");
            child.copyDefault(parentOptions, "auto-read-only");
        }
        child.setDefault("discard", "unmap");
        flags &= ~BlockNode.O_NO_BACKING;
        return flags;
    }

    /** QEMU's bdrv_fill_options: finds the driver, moves a protocol's filename into the options. */
    private static BlockDriver fillOptions(NodeOptions options, String filename, int[] flags) {
        String drvname = options.getString("driver");
        boolean protocol = (flags[0] & BlockNode.O_PROTOCOL) != 0;
        BlockDriver drv = null;
        if (drvname != null) {
            drv = Drivers.find(drvname).orElseThrow(() -> new BlockException("Unknown driver '" + drvname + "'"));
            protocol = drv.isProtocol();
        }
        if (protocol) {
            flags[0] |= BlockNode.O_PROTOCOL;
        } else {
            flags[0] &= ~BlockNode.O_PROTOCOL;
        }
        if (!options.has("cache.direct")) {
            options.put("cache.direct", BooleanNode.valueOf((flags[0] & BlockNode.O_NOCACHE) != 0));
        }
        if (!options.has("cache.no-flush")) {
            options.put("cache.no-flush", BooleanNode.valueOf((flags[0] & BlockNode.O_NO_FLUSH) != 0));
        }
        if (!options.has("read-only")) {
            options.put("read-only", BooleanNode.valueOf((flags[0] & BlockNode.O_RDWR) == 0));
        }
        if (!options.has("auto-read-only")) {
            options.put("auto-read-only", BooleanNode.valueOf((flags[0] & BlockNode.O_AUTO_RDONLY) != 0));
        }
        boolean parseFilename = false;
        if (protocol && filename != null) {
            if (!options.has("filename")) {
                options.putString("filename", filename);
                parseFilename = true;
            } else {
                throw new BlockException("Can't specify 'file' and 'filename' options at the same time");
            }
        }
        String fn = options.getString("filename");
        if (drvname == null && protocol) {
            if (fn != null) {
                if (!parseFilename) {
                    drv = Drivers.find("file").orElseThrow();
                } else {
                    drv = Drivers.forFilename(fn).orElseThrow(() -> new BlockException(
                            "Unknown protocol '" + fn.substring(0, fn.indexOf(':')) + "'"));
                }
                options.putString("driver", drv.formatName());
            } else {
                throw new BlockException("Must specify either driver or file");
            }
        }
        if (drv != null && parseFilename) {
            drv.parseFilename(fn, options);
            if (!drv.needsFilename()) {
                options.remove("filename");
            }
        }
        return drv;
    }

    /** Format probing for -drive without format: raw is the only format this engine probes to. */
    private BlockDriver probe(BlockNode file) {
        ByteBuffer head = ByteBuffer.allocate(512);
        try {
            file.refreshLength();
            graph.callInContext(file.aioContext(), () -> file.preadv(null, 0, head, 0));
        } catch (RuntimeException | BlockIOException e) {
            throw new BlockException("Could not read image for determining its format: " + e.getMessage());
        }
        if (head.getInt(0) == 0x514649fb && Drivers.find("qcow2").isPresent()) {
            return Drivers.find("qcow2").get();
        }
        if (file.isWritable()) {
            file.refreshFilename();
            System.err.println("WARNING: Image format was not specified for '" + file.filename()
                    + "' and probing guessed raw.\n"
                    + "         Automatically detecting the format is dangerous for raw images, write operations"
                    + " on block 0 will be restricted.\n"
                    + "         Specify the 'raw' format explicitly to remove the restrictions.");
        }
        return Drivers.find("raw").orElseThrow();
    }

    /** QEMU's bdrv_open_child_bs: opens (or looks up) the child named {@code key} from the parent's options. */
    private BlockNode openChildBs(String filename, NodeOptions options, String key, BlockNode parent, int role,
                                  boolean allowNone) {
        NodeOptions image = options.extract(key);
        String reference = options.getString(key);
        if (filename == null && reference == null && image.isEmpty()) {
            options.remove(key);
            if (!allowNone) {
                throw new BlockException("A block device must be specified for \"" + key + "\"");
            }
            return null;
        }
        try {
            return openInherit(filename, reference, image, 0, parent, role);
        } finally {
            options.remove(key);
        }
    }

    /** QEMU's bdrv_open_common + bdrv_open_driver: common options, the node name, the driver. */
    private void openCommon(BlockNode bs, BlockDriver drv, BlockNode fileBs, NodeOptions options) {
        int flags = bs.openFlags();
        String nodeName = options.takeString("node-name");
        options.remove("driver");
        boolean direct = options.takeBool("cache.direct", false);
        boolean noFlush = options.takeBool("cache.no-flush", false);
        boolean readOnly = options.takeBool("read-only", false);
        boolean autoRo = options.takeBool("auto-read-only", false);
        String detect = options.takeString("detect-zeroes");
        String discard = options.takeString("discard");
        boolean forceShare = options.takeBool("force-share", false);
        flags &= ~(BlockNode.O_NOCACHE | BlockNode.O_NO_FLUSH | BlockNode.O_RDWR | BlockNode.O_AUTO_RDONLY);
        if (noFlush) {
            flags |= BlockNode.O_NO_FLUSH;
        }
        if (direct) {
            flags |= BlockNode.O_NOCACHE;
        }
        if (!readOnly) {
            flags |= BlockNode.O_RDWR;
        }
        if (autoRo) {
            flags |= BlockNode.O_AUTO_RDONLY;
        }
        bs.setForceShare(forceShare);
        if (forceShare && (flags & BlockNode.O_RDWR) != 0) {
            throw new BlockException("force-share=on can only be used with read-only images");
        }
        String filename;
        if (fileBs != null) {
            fileBs.refreshFilename();
            filename = fileBs.filename();
        } else {
            filename = options.getString("filename");
        }
        if (drv.needsFilename() && (filename == null || filename.isEmpty())) {
            throw new BlockException("The '" + drv.formatName() + "' block driver requires a file name");
        }
        if (discard != null) {
            switch (discard) {
                case "off", "ignore" -> flags &= ~BlockNode.O_UNMAP;
                case "on", "unmap" -> flags |= BlockNode.O_UNMAP;
                default -> throw new BlockException("Invalid discard option");
            }
        }
        DetectZeroes dz = DetectZeroes.OFF;
        if (detect != null) {
            dz = DetectZeroes.parse(detect);
            if (dz == null) {
                throw new BlockException("invalid parameter value: " + detect);
            }
            if (dz == DetectZeroes.UNMAP && (flags & BlockNode.O_UNMAP) == 0) {
                throw new BlockException("setting detect-zeroes to unmap is not allowed without setting "
                        + "discard operation to unmap");
            }
        }
        bs.setDetectZeroes(dz);
        bs.setOpenFlags(flags);
        bs.setFilenames(filename);
        assignNodeName(bs, nodeName);
        int openFlags = flags & ~(BlockNode.O_PROTOCOL | BlockNode.O_NO_BACKING);
        NodeDriver state = drv.newState(bs);
        bs.setDriver(drv, state);
        state.open(options, openFlags, (fn, name, role, allowNone) -> openAndAttachChild(bs, options, fn, name,
                role, allowNone));
        try {
            bs.refreshLength();
        } catch (BlockIOException e) {
            throw new BlockException("Could not refresh total sector count: " + e.errno().text());
        }
    }

    /** QEMU's bdrv_assign_node_name: the checks in QEMU's order, then the node joins the named list. */
    private void assignNodeName(BlockNode bs, String nodeName) {
        String n = nodeName;
        if (n == null) {
            n = graph.names().generate();
        } else if (!NodeNames.wellFormed(n)) {
            throw new BlockException("Invalid node-name: '" + n + "'");
        }
        if (graph.findBackend(n).isPresent()) {
            throw new BlockException("node-name=" + n + " is conflicting with a device id");
        }
        if (graph.findNode(n).isPresent()) {
            throw new BlockException("Duplicate nodes with node-name='" + n + "'");
        }
        if (NodeNames.tooLong(n)) {
            throw new BlockException("Node name too long");
        }
        bs.setName(n);
        graph.namedNodes().add(bs);
    }

    private BdrvChild openAndAttachChild(BlockNode parent, NodeOptions options, String filename, String name,
                                         int role, boolean allowNone) {
        BlockNode child = openChildBs(filename, options, name, parent, role, allowNone);
        if (child == null) {
            return null;
        }
        return graph.attachChild(parent, child, name, role);
    }

    /** A node whose open failed: children it already has are released, its name is freed. */
    private void closeFailed(BlockNode bs) {
        if (bs.driverState() != null) {
            bs.driverState().close();
        }
        for (BdrvChild c : List.copyOf(bs.childEdges())) {
            graph.detachChild(c);
        }
        graph.namedNodes().remove(bs);
    }
}
