package dev.blockdeck.engine.bitmap;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The arguments of the bitmap commands, as the commands and the transaction actions read them from JSON that the
 * QAPI layer already checked.
 */
public final class BitmapArgs {
    private BitmapArgs() {
    }

    /** BlockDirtyBitmapAdd. */
    public record Add(String node, String name, Long granularity, boolean persistent, boolean disabled) {
        public static Add of(ObjectNode a) {
            JsonNode g = a.get("granularity");
            return new Add(a.get("node").textValue(), a.get("name").textValue(), g == null ? null : g.longValue(),
                    a.path("persistent").asBoolean(false), a.path("disabled").asBoolean(false));
        }
    }

    /** BlockDirtyBitmap. */
    public record Named(String node, String name) {
        public static Named of(ObjectNode a) {
            return new Named(a.get("node").textValue(), a.get("name").textValue());
        }
    }

    /** BlockDirtyBitmapMerge. */
    public record Merge(String node, String target, List<BitmapOperations.Source> bitmaps) {
        public static Merge of(ObjectNode a) {
            List<BitmapOperations.Source> sources = new ArrayList<>();
            for (JsonNode s : a.get("bitmaps")) {
                sources.add(s.isTextual() ? BitmapOperations.Source.local(s.textValue())
                        : new BitmapOperations.Source(s.get("node").textValue(), s.get("name").textValue()));
            }
            return new Merge(a.get("node").textValue(), a.get("target").textValue(), List.copyOf(sources));
        }
    }
}
