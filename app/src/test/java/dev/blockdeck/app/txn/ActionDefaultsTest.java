package dev.blockdeck.app.txn;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.BlockStateReader;
import dev.blockdeck.app.model.Recording;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prefilled actions on the block state of a real QEMU 7.2 (recorded): {@code drive0} is a BlockBackend over
 * {@code d0}; {@code top2} (bitmaps bm0, bm1) has no BlockBackend.
 */
class ActionDefaultsTest {

    private final BlockState state = new BlockStateReader(Recording.load("chains")).read().join();

    private ActionDefaults defaults(List<TxnAction> composed, String... existingFiles) {
        Set<String> files = Set.of(existingFiles);
        return new ActionDefaults(state, composed, files::contains);
    }

    @Test
    void aBackendIsSnapshotByDeviceNextToItsImage() {
        TxnAction a = defaults(List.of()).create(ActionKind.SNAPSHOT_SYNC, "backend:drive0");
        assertThat(a.values()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("format", "qcow2",
                "device", "drive0", "snapshot-file", "/tmp/bdrec/d0-snap1.qcow2"));
        assertThat(a.problems()).isEmpty();
    }

    @Test
    void aNodeWithoutBackendGetsAnOverlayNameAndFreeNames() {
        TxnAction first = defaults(List.of(), "/tmp/bdrec/top2-snap1.qcow2").create(ActionKind.SNAPSHOT_SYNC, "node:top2");
        assertThat(first.value("node-name")).isEqualTo("top2");
        assertThat(first.value("snapshot-file")).isEqualTo("/tmp/bdrec/top2-snap2.qcow2");
        assertThat(first.value("snapshot-node-name")).isEqualTo("top2-snap1");
        // a second one in the same list takes the next names
        TxnAction second = defaults(List.of(first), "/tmp/bdrec/top2-snap1.qcow2").create(ActionKind.SNAPSHOT_SYNC, "node:top2");
        assertThat(second.value("snapshot-file")).isEqualTo("/tmp/bdrec/top2-snap3.qcow2");
        assertThat(second.value("snapshot-node-name")).isEqualTo("top2-snap2");
        // a snapshot of a snapshot counts on, it does not stack suffixes
        assertThat(defaults(List.of()).snapshotFile("/img/top2-snap4.qcow2", "x")).isEqualTo("/img/top2-snap1.qcow2");
    }

    @Test
    void aNodeUnderABackendNeedsNoOverlayName() {
        TxnAction a = defaults(List.of()).create(ActionKind.SNAPSHOT_SYNC, "node:d0");
        assertThat(a.value("node-name")).isEqualTo("d0");
        assertThat(a.value("snapshot-node-name")).isEmpty();
    }

    @Test
    void aNodeWithoutAFileNameSnapshotsIntoTheTemporaryDirectory() {
        TxnAction a = defaults(List.of()).create(ActionKind.SNAPSHOT_SYNC, "node:null0");
        assertThat(a.value("snapshot-file")).isEqualTo(
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "null0-snap1.qcow2").toString());
    }

    @Test
    void bitmapActionsOfferTheNodesBitmaps() {
        ActionDefaults d = defaults(List.of());
        assertThat(d.create(ActionKind.BITMAP_ADD, "node:top2").values()).containsEntry("node", "top2").containsEntry("name", "bitmap0");
        assertThat(d.create(ActionKind.BITMAP_CLEAR, "node:top2").values()).containsEntry("name", "bm0");
        assertThat(d.create(ActionKind.BITMAP_MERGE, "node:top2").values())
                .containsEntry("target", "bm0").containsEntry("bitmaps", "bm1");
        assertThat(d.create(ActionKind.BITMAP_REMOVE, "backend:drive0").values()).containsEntry("node", "drive0").containsEntry("name", "");
        assertThat(d.bitmapsOf("top2")).containsExactly("bm0", "bm1");
        assertThat(d.bitmapsOf("drive0")).isEmpty();
        TxnAction pending = d.create(ActionKind.BITMAP_ADD, "node:top2");
        assertThat(defaults(List.of(pending)).create(ActionKind.BITMAP_ADD, "node:top2").value("name")).isEqualTo("bitmap1");
    }

    @Test
    void withoutASelectionActionsStartEmpty() {
        ActionDefaults d = defaults(List.of());
        assertThat(d.create(ActionKind.SNAPSHOT_SYNC, null).values()).containsExactly(java.util.Map.entry("format", "qcow2"));
        assertThat(d.create(ActionKind.BITMAP_ADD, "node:nosuch").values()).isEmpty();
        assertThat(ActionDefaults.kindsFor(state, null)).containsExactly(ActionKind.values());
        assertThat(ActionDefaults.targets(state)).contains("top2", "d0", "drive0").doesNotContain("backend:drive0");
    }
}
