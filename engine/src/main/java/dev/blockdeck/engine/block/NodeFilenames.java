package dev.blockdeck.engine.block;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.json.QdictOrder;
import dev.blockdeck.qmp.json.QmpJsonWriter;

/**
 * A node's names for what it opened (QEMU's bs->filename, exact_filename, full_open_options, and the backing
 * file names its image header stores), and their refresh (bdrv_refresh_filename): the plain file name when
 * opening it alone would give this node, else a {@code json:{...}} pseudo-filename with the options that matter.
 * Main loop only.
 */
final class NodeFilenames {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final BlockNode node;
    private String filename = "";
    private String exactFilename = "";
    private ObjectNode fullOpenOptions = F.objectNode();
    private String autoBackingFile = "";
    private String backingFile = "";
    private String backingFormat = "";
    /** The last refresh pass. */
    private Object refreshedIn;

    NodeFilenames(BlockNode node) {
        this.node = node;
    }

    String filename() {
        return filename;
    }

    String exactFilename() {
        return exactFilename;
    }

    void setFilenames(String fn) {
        filename = fn == null ? "" : fn;
        exactFilename = filename;
    }

    ObjectNode fullOpenOptions() {
        return fullOpenOptions;
    }

    String backingFile() {
        return backingFile;
    }

    String backingFormat() {
        return backingFormat;
    }

    void setBackingFileInfo(String file, String format) {
        backingFile = file == null ? "" : file;
        backingFormat = format == null ? "" : format;
        autoBackingFile = backingFile;
    }

    String autoBackingFile() {
        return autoBackingFile;
    }

    void setAutoBackingFile(String f) {
        autoBackingFile = f == null ? "" : f;
    }

    /** Refreshes the children, then this node's names, at most once per {@code pass}. */
    void refresh(Object pass) {
        if (refreshedIn == pass) {
            return;
        }
        refreshedIn = pass;
        List<BdrvChild> children = node.childEdges();
        for (BdrvChild c : children) {
            c.node().refreshFilename(pass);
        }
        if (node.isImplicit() && children.size() == 1) {
            BlockNode c = children.get(0).node();
            exactFilename = c.exactFilename();
            filename = c.filename();
            fullOpenOptions = c.fullOpenOptions();
            return;
        }
        BdrvChild backing = node.backing();
        boolean backingOverridden = backing != null ? !autoBackingFile.equals(backing.node().filename())
                : !autoBackingFile.isEmpty();
        ObjectNode opts = F.objectNode();
        boolean generateJson = appendStrongOptions(opts) | backingOverridden;
        for (BdrvChild c : children) {
            if (c == backing && !backingOverridden) {
                continue;
            }
            opts.set(c.name(), c.node().fullOpenOptions());
        }
        if (backingOverridden && backing == null) {
            opts.putNull("backing");
        }
        fullOpenOptions = opts;
        String own = node.driverState().refreshFilename(opts);
        BdrvChild primary = node.primaryChild();
        if (own != null) {
            exactFilename = own;
        } else if (primary != null) {
            exactFilename = "";
            BlockNode p = primary.node();
            if (!p.exactFilename().isEmpty() && p.driver().isProtocol() && !node.driver().isFilter()
                    && !generateJson) {
                exactFilename = p.exactFilename();
            }
        }
        if (!exactFilename.isEmpty()) {
            filename = exactFilename;
        } else {
            String json = "json:" + QmpJsonWriter.writeInQdictOrder(opts);
            filename = json.length() >= 4096 ? json.substring(0, 4092) + "..." : json;
        }
    }

    private boolean appendStrongOptions(ObjectNode d) {
        boolean found = false;
        List<String> keys = new ArrayList<>(List.of("driver", "filename"));
        keys.addAll(node.driver().strongRuntimeOptions());
        for (String k : keys) {
            boolean given = false;
            if (k.endsWith(".")) {
                // QEMU walks the options dictionary in its own (hash) order for these
                for (Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries(node.options().toFlatJson());
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().startsWith(k)) {
                        d.set(e.getKey(), e.getValue());
                        given = true;
                    }
                }
            } else {
                JsonNode v = node.options().get(k);
                if (v != null) {
                    d.set(k, v);
                    given = true;
                }
            }
            if (given && !k.equals("driver") && !k.equals("filename")) {
                found = true;
            }
        }
        if (!d.has("driver")) {
            d.put("driver", node.driver().formatName());
        }
        return found;
    }
}
