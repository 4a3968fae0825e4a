package dev.blockdeck.app.txn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One action of a transaction being composed: a command object with a description, which becomes QMP only
 * when the transaction is applied ({@link #toQmp()}). Immutable: an edit makes a new one. Values are the
 * texts the user typed, by member name; an empty text leaves the member out.
 */
public record TxnAction(ActionKind kind, Map<String, String> values) {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public TxnAction {
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (kind.field(k).isEmpty()) {
                throw new IllegalArgumentException(kind.type() + " has no member " + k);
            }
            copy.put(k, v == null ? "" : v);
        });
        values = java.util.Collections.unmodifiableMap(copy);
    }

    public static TxnAction of(ActionKind kind) {
        return new TxnAction(kind, Map.of());
    }

    /** The value typed for {@code field}, stripped; empty when none. */
    public String value(String field) {
        return values.getOrDefault(field, "").strip();
    }

    public TxnAction with(String field, String value) {
        Map<String, String> next = new LinkedHashMap<>(values);
        next.put(field, value == null ? "" : value);
        return new TxnAction(kind, next);
    }

    /** What the action does, in one line: {@code drive0 → /images/disk0-snap1.qcow2 (qcow2)}. */
    public String description() {
        return switch (kind) {
            case SNAPSHOT_SYNC -> {
                String target = or(value("device"), value("node-name"));
                String format = or(value("format"), "qcow2");
                String as = value("snapshot-node-name").isEmpty() ? "" : " as " + value("snapshot-node-name");
                String mode = value("mode").equals("existing") ? ", existing image" : "";
                yield or(target, "?") + " → " + or(value("snapshot-file"), "?") + as + " (" + format + mode + ")";
            }
            case BITMAP_ADD -> "add bitmap " + or(value("name"), "?") + " on " + or(value("node"), "?")
                    + (value("persistent").equals("true") ? ", persistent" : "")
                    + (value("disabled").equals("true") ? ", disabled" : "");
            case BITMAP_REMOVE -> "remove bitmap " + bitmap();
            case BITMAP_CLEAR -> "clear bitmap " + bitmap();
            case BITMAP_ENABLE -> "enable bitmap " + bitmap();
            case BITMAP_DISABLE -> "disable bitmap " + bitmap();
            case BITMAP_MERGE -> "merge " + or(value("bitmaps"), "?") + " into " + or(value("node"), "?") + ":"
                    + or(value("target"), "?");
            case ABORT -> "fails on purpose: the others roll back";
        };
    }

    private String bitmap() {
        return or(value("node"), "?") + ":" + or(value("name"), "?");
    }

    private static String or(String value, String otherwise) {
        return value.isEmpty() ? otherwise : value;
    }

    /** What keeps this action from being sent, per field, in the composer's words; empty when it can go. */
    public Optional<String> problem(String field) {
        ActionField f = kind.field(field).orElseThrow();
        String v = value(field);
        if (f.required() && v.isEmpty()) {
            return Optional.of(field + " is required");
        }
        if (f.type() == ActionField.Type.INT && !v.isEmpty() && !v.matches("[0-9]+")) {
            return Optional.of(field + " must be a whole number");
        }
        if (f.type() == ActionField.Type.BITMAP_LIST && !v.isEmpty() && bitmapList().isEmpty()) {
            return Optional.of(field + " names no bitmap");
        }
        if (kind == ActionKind.SNAPSHOT_SYNC && (field.equals("device") || field.equals("node-name"))
                && value("device").isEmpty() && value("node-name").isEmpty()) {
            return Optional.of("give device or node-name");
        }
        return Optional.empty();
    }

    /** Every problem, {@code field: what}, in field order. */
    public List<String> problems() {
        List<String> all = new ArrayList<>();
        for (ActionField f : kind.fields()) {
            problem(f.name()).ifPresent(p -> {
                if (!all.contains(p)) {
                    all.add(p);
                }
            });
        }
        return all;
    }

    /** The QMP {@code TransactionAction}: {@code {"type": ..., "data": {...}}} with every non-empty member. */
    public ObjectNode toQmp() {
        ObjectNode action = JSON.objectNode().put("type", kind.type());
        ObjectNode data = action.putObject("data");
        for (ActionField f : kind.fields()) {
            String v = value(f.name());
            if (v.isEmpty()) {
                continue;
            }
            switch (f.type()) {
                case INT -> data.put(f.name(), Long.parseLong(v));
                case BOOL -> {
                    if (v.equals("true")) {
                        data.put(f.name(), true);
                    }
                }
                case BITMAP_LIST -> {
                    ArrayNode list = data.putArray(f.name());
                    bitmapList().forEach(list::add);
                }
                default -> data.put(f.name(), v);
            }
        }
        return action;
    }

    /** {@code b1, disk1:b2} → {@code ["b1", {"node": "disk1", "name": "b2"}]} (node-names hold no ':'). */
    private List<com.fasterxml.jackson.databind.JsonNode> bitmapList() {
        List<com.fasterxml.jackson.databind.JsonNode> list = new ArrayList<>();
        for (String part : value("bitmaps").split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            if (colon > 0 && colon < p.length() - 1) {
                list.add(JSON.objectNode().put("node", p.substring(0, colon).strip())
                        .put("name", p.substring(colon + 1).strip()));
            } else {
                list.add(JSON.textNode(p));
            }
        }
        return list;
    }

    /** The node this action works on (device, node-name or node), or empty. */
    public String target() {
        return switch (kind) {
            case SNAPSHOT_SYNC -> or(value("device"), value("node-name"));
            case ABORT -> "";
            default -> value("node");
        };
    }
}
