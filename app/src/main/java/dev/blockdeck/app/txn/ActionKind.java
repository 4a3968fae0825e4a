package dev.blockdeck.app.txn;

import dev.blockdeck.app.txn.ActionField.Type;

import java.util.List;
import java.util.Optional;

/**
 * The transaction actions the composer offers, with the members of their {@code data} as QEMU 7.2 declares
 * them (TransactionAction in qapi/transaction.json).
 */
public enum ActionKind {
    SNAPSHOT_SYNC("blockdev-snapshot-sync", "External snapshot",
            "Creates a new image over the node and makes it the active layer; the old image becomes its backing file.",
            List.of(ActionField.optional("device", Type.NODE, "The BlockBackend to snapshot (or give node-name)."),
                    ActionField.optional("node-name", Type.NODE, "The node to snapshot (or give device)."),
                    ActionField.required("snapshot-file", Type.PATH, "The new image; it must not exist unless mode is existing."),
                    ActionField.optional("snapshot-node-name", Type.TEXT, "The new overlay's node-name (else QEMU picks #blockNNN)."),
                    ActionField.choice("format", List.of("qcow2", "qed", "raw"), "The new image's format (QEMU's default: qcow2)."),
                    ActionField.choice("mode", List.of("", "absolute-paths", "existing"),
                            "absolute-paths (default): create the image; existing: open an image made beforehand."))),
    BITMAP_ADD("block-dirty-bitmap-add", "Add dirty bitmap",
            "Starts tracking the node's writes in a new bitmap (removed again if the transaction aborts).",
            List.of(ActionField.required("node", Type.NODE, "The node or BlockBackend."),
                    ActionField.required("name", Type.TEXT, "The new bitmap's name, unique on the node."),
                    ActionField.optional("granularity", Type.INT, "Bytes per bit, a power of two (default: the cluster size)."),
                    ActionField.optional("persistent", Type.BOOL, "Store it in the qcow2 image."),
                    ActionField.optional("disabled", Type.BOOL, "Create it disabled (not recording)."))),
    BITMAP_REMOVE("block-dirty-bitmap-remove", "Remove dirty bitmap", "Deletes the bitmap.", bitmapFields()),
    BITMAP_CLEAR("block-dirty-bitmap-clear", "Clear dirty bitmap",
            "Resets every bit (restored if the transaction aborts).", bitmapFields()),
    BITMAP_ENABLE("block-dirty-bitmap-enable", "Enable dirty bitmap", "Starts recording writes again.", bitmapFields()),
    BITMAP_DISABLE("block-dirty-bitmap-disable", "Disable dirty bitmap", "Stops recording writes.", bitmapFields()),
    BITMAP_MERGE("block-dirty-bitmap-merge", "Merge dirty bitmaps", "ORs the source bitmaps into the target.",
            List.of(ActionField.required("node", Type.NODE, "The node or BlockBackend of the target."),
                    ActionField.required("target", Type.BITMAP, "The bitmap that receives the bits."),
                    ActionField.required("bitmaps", Type.BITMAP_LIST,
                            "Sources, comma-separated: a name on the same node, or node:name on another."))),
    ABORT("abort", "Abort",
            "Fails in its prepare on purpose: every action before it is rolled back (to see a rollback).", List.of());

    private final String type;
    private final String label;
    private final String help;
    private final List<ActionField> fields;

    ActionKind(String type, String label, String help, List<ActionField> fields) {
        this.type = type;
        this.label = label;
        this.help = help;
        this.fields = fields;
    }

    private static List<ActionField> bitmapFields() {
        return List.of(ActionField.required("node", Type.NODE, "The node or BlockBackend."),
                ActionField.required("name", Type.BITMAP, "The bitmap's name."));
    }

    /** The QMP action type, e.g. {@code blockdev-snapshot-sync}. */
    public String type() {
        return type;
    }

    /** For menus: {@code External snapshot}. */
    public String label() {
        return label;
    }

    public String help() {
        return help;
    }

    public List<ActionField> fields() {
        return fields;
    }

    public Optional<ActionField> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** True for the bitmap actions: their target is member {@code node}. */
    public boolean isBitmap() {
        return type.startsWith("block-dirty-bitmap-");
    }

    public static Optional<ActionKind> ofType(String type) {
        for (ActionKind k : values()) {
            if (k.type.equals(type)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
