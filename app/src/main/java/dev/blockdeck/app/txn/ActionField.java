package dev.blockdeck.app.txn;

import java.util.List;

/**
 * One member of a transaction action's {@code data}, as the composer edits it.
 *
 * @param name     the QMP member name ({@code snapshot-file})
 * @param type     how the value is edited and sent
 * @param required QEMU refuses the action without it
 * @param choices  suggested values (CHOICE), the first being the default; empty otherwise
 * @param help     one sentence for the editor's tooltip
 */
public record ActionField(String name, Type type, boolean required, List<String> choices, String help) {

    /** How a value is edited in the composer and written into the QMP arguments. */
    public enum Type {
        /** Free text, sent as a string. */
        TEXT,
        /** A file name, sent as a string. */
        PATH,
        /** A node-name or BlockBackend name, sent as a string; the editor suggests the graph's names. */
        NODE,
        /** A dirty bitmap's name on the action's node, sent as a string. */
        BITMAP,
        /** Comma-separated bitmaps, {@code b1} or {@code node:b2}: a list of BlockDirtyBitmapOrStr. */
        BITMAP_LIST,
        /** A whole number, sent as a JSON integer. */
        INT,
        /** A flag: "true" is sent, anything else leaves the member out (QEMU's default is false). */
        BOOL,
        /** One of {@link #choices()}, sent as a string; empty leaves it out. */
        CHOICE
    }

    public ActionField {
        choices = List.copyOf(choices);
    }

    static ActionField required(String name, Type type, String help) {
        return new ActionField(name, type, true, List.of(), help);
    }

    static ActionField optional(String name, Type type, String help) {
        return new ActionField(name, type, false, List.of(), help);
    }

    static ActionField choice(String name, List<String> choices, String help) {
        return new ActionField(name, Type.CHOICE, false, choices, help);
    }
}
