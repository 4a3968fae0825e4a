package dev.blockdeck.engine.bitmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.blockdeck.engine.block.BlockException;

/** The per-node list: QEMU's order and checks, marking, resizing, and a job's successor life cycle. */
class NodeDirtyBitmapsTest {
    @Test
    void newestFirstUniqueNamesAndTheNameLimitInBytes() {
        NodeDirtyBitmaps l = new NodeDirtyBitmaps();
        l.create("a", 1 << 20, 16);
        l.create(null, 1 << 20, 16);
        l.create("b", 1 << 20, 16);
        assertThat(l.all()).extracting(DirtyBitmap::name).containsExactly("b", null, "a");
        assertThatThrownBy(() -> l.create("a", 1 << 20, 16)).isInstanceOf(BlockException.class)
                .hasMessage("Bitmap already exists: a");
        l.create("é".repeat(511), 1 << 20, 16);
        assertThatThrownBy(() -> l.create("é".repeat(512), 1 << 20, 16))
                .hasMessage("Bitmap name too long: " + "é".repeat(512));
    }

    @Test
    void onlyEnabledBitmapsRecordAndResizingFollowsTheNode() {
        NodeDirtyBitmaps l = new NodeDirtyBitmaps();
        DirtyBitmap on = l.create("on", 1 << 20, 9);
        DirtyBitmap off = l.create("off", 1 << 20, 9);
        off.setEnabled(false);
        l.markDirty(1000, 10);
        l.markDirty((1 << 20) - 1, 100); // clamped at the end, as the node never writes past it
        assertThat(on.count()).isEqualTo(1024);
        assertThat(off.count()).isZero();
        l.truncate(2 << 20);
        assertThat(on.size()).isEqualTo(2 << 20);
        l.markDirty(2_000_000, 1);
        assertThat(on.count()).isEqualTo(1536);
    }

    @Test
    void checksReadLikeQemus() {
        NodeDirtyBitmaps l = new NodeDirtyBitmaps();
        DirtyBitmap bm = l.create("x", 1 << 20, 16);
        bm.setBusy(true);
        assertThatThrownBy(() -> bm.check(DirtyBitmap.DEFAULT))
                .hasMessage("Bitmap 'x' is currently in use by another operation and cannot be used");
        bm.setBusy(false);
        bm.setReadonly(true);
        assertThat(l.hasReadonly()).isTrue();
        assertThatThrownBy(() -> bm.check(DirtyBitmap.DEFAULT)).hasMessage("Bitmap 'x' is readonly and cannot be modified");
        bm.check(DirtyBitmap.ALLOW_RO);
        bm.setReadonly(false);
        assertThat(l.hasReadonly()).isFalse();
        bm.setPersistent(true);
        bm.setInconsistent();
        assertThat(bm.enabled()).isFalse();
        assertThatThrownBy(() -> bm.check(DirtyBitmap.ALLOW_RO)).isInstanceOf(BlockException.class)
                .hasMessage("Bitmap 'x' is inconsistent and cannot be used")
                .satisfies(e -> assertThat(((BlockException) e).hint()).contains("block-dirty-bitmap-remove"));
    }

    @Test
    void successorRecordsWhileFrozenThenAbdicatesOrIsReclaimed() {
        NodeDirtyBitmaps l = new NodeDirtyBitmaps();
        DirtyBitmap bm = l.create("b", 1 << 20, 16);
        bm.setPersistent(true);
        l.markDirty(0, 1);
        DirtyBitmap s = bm.createSuccessor();
        assertThat(bm.busy()).isTrue();
        assertThat(bm.recording()).as("recording through the successor").isTrue();
        assertThat(bm.enabled()).isFalse();
        l.markDirty(1 << 19, 1);
        assertThat(bm.count()).isEqualTo(65536);
        assertThat(s.count()).isEqualTo(65536);
        assertThatThrownBy(bm::createSuccessor)
                .hasMessage("Bitmap 'b' is currently in use by another operation and cannot be used");
        DirtyBitmap back = bm.reclaim();
        assertThat(back).isSameAs(bm);
        assertThat(bm.count()).isEqualTo(2 * 65536);
        assertThat(bm.enabled()).isTrue();
        assertThat(l.all()).containsExactly(bm);

        DirtyBitmap s2 = bm.createSuccessor();
        l.markDirty(3 << 18, 1);
        DirtyBitmap heir = bm.abdicate();
        assertThat(heir).isSameAs(s2);
        assertThat(heir.name()).isEqualTo("b");
        assertThat(heir.persistent()).isTrue();
        assertThat(heir.count()).isEqualTo(65536);
        assertThat(l.all()).containsExactly(heir);
    }
}
