package dev.blockdeck.engine.bitmap.qmp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.bitmap.DirtyBitmap;
import dev.blockdeck.engine.bitmap.NodeDirtyBitmaps;

/** The {@code dirty-bitmaps} member of BlockDeviceInfo: a BlockDirtyInfo per bitmap, newest first. */
public final class DirtyBitmapInfo {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DirtyBitmapInfo() {
    }

    /** The list QEMU's bdrv_query_dirty_bitmaps builds, read under the node's bitmap lock. */
    public static ArrayNode query(NodeDirtyBitmaps bitmaps) {
        ArrayNode out = F.arrayNode();
        bitmaps.lock().lock();
        try {
            for (DirtyBitmap bm : bitmaps.all()) {
                out.add(info(bm));
            }
        } finally {
            bitmaps.lock().unlock();
        }
        return out;
    }

    private static ObjectNode info(DirtyBitmap bm) {
        ObjectNode o = F.objectNode();
        if (bm.name() != null) {
            o.put("name", bm.name());
        }
        o.put("count", bm.count());
        o.put("granularity", bm.granularity());
        o.put("recording", bm.recording());
        o.put("busy", bm.busy());
        o.put("persistent", bm.persistent());
        if (bm.inconsistent()) {
            o.put("inconsistent", true);
        }
        return o;
    }
}
