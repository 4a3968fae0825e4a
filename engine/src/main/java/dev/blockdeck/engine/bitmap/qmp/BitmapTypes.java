package dev.blockdeck.engine.bitmap.qmp;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.UINT32;

import java.util.List;

import dev.blockdeck.engine.monitor.qapi.AlternateType;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.ObjectType;

/**
 * The QAPI declarations of the dirty bitmap commands (qapi/block-core.json of QEMU 7.2). The argument types are
 * also the {@code data} of the bitmap actions of {@code transaction}, hence public.
 */
public final class BitmapTypes {
    /** BlockDirtyBitmap: {@code node}, {@code name}. */
    public static final ObjectType BITMAP = ObjectType.builder("BlockDirtyBitmap")
            .required("node", STR).required("name", STR).build();

    /** BlockDirtyBitmapAdd. */
    public static final ObjectType ADD = ObjectType.builder("BlockDirtyBitmapAdd")
            .required("node", STR).required("name", STR).optional("granularity", UINT32)
            .optional("persistent", BOOL).optional("disabled", BOOL).build();

    /** BlockDirtyBitmapOrStr: a bitmap of the target's node by name, or any node's bitmap. */
    public static final AlternateType BITMAP_OR_STR = new AlternateType("BlockDirtyBitmapOrStr",
            List.of(STR, BITMAP));

    /** BlockDirtyBitmapMerge. */
    public static final ObjectType MERGE = ObjectType.builder("BlockDirtyBitmapMerge")
            .required("node", STR).required("target", STR).required("bitmaps", new ArrayType(BITMAP_OR_STR))
            .build();

    /** BlockDirtyBitmapSha256. */
    public static final ObjectType SHA256 = ObjectType.builder("BlockDirtyBitmapSha256")
            .required("sha256", STR).build();

    private BitmapTypes() {
    }
}
