package dev.blockdeck.app.txn;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Actions as command objects: what they send, how they describe themselves, what keeps them from going. */
class TxnActionTest {

    @Test
    void aSnapshotSendsOnlyWhatWasGiven() {
        TxnAction a = TxnAction.of(ActionKind.SNAPSHOT_SYNC).with("device", "drive0")
                .with("snapshot-file", " /images/disk0-snap1.qcow2 ").with("format", "qcow2").with("mode", "");
        assertThat(a.toQmp()).hasToString("{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"drive0\","
                + "\"snapshot-file\":\"/images/disk0-snap1.qcow2\",\"format\":\"qcow2\"}}");
        assertThat(a.description()).isEqualTo("drive0 → /images/disk0-snap1.qcow2 (qcow2)");
        assertThat(a.problems()).isEmpty();
        assertThat(a.target()).isEqualTo("drive0");
    }

    @Test
    void aSnapshotNeedsAFileAndADeviceOrNode() {
        TxnAction a = TxnAction.of(ActionKind.SNAPSHOT_SYNC);
        assertThat(a.problems()).containsExactly("give device or node-name", "snapshot-file is required");
        assertThat(a.problem("device")).contains("give device or node-name");
        assertThat(a.problem("format")).isEmpty();
        TxnAction named = a.with("node-name", "disk0").with("snapshot-file", "/i/o.qcow2")
                .with("snapshot-node-name", "over0").with("mode", "existing");
        assertThat(named.problems()).isEmpty();
        assertThat(named.description()).isEqualTo("disk0 → /i/o.qcow2 as over0 (qcow2, existing image)");
        assertThat(named.toQmp().get("data")).hasToString("{\"node-name\":\"disk0\",\"snapshot-file\":\"/i/o.qcow2\","
                + "\"snapshot-node-name\":\"over0\",\"mode\":\"existing\"}");
    }

    @Test
    void bitmapAddSendsNumbersAndFlagsAsJson() {
        TxnAction a = TxnAction.of(ActionKind.BITMAP_ADD).with("node", "disk0").with("name", "b0")
                .with("granularity", "65536").with("persistent", "true").with("disabled", "");
        assertThat(a.toQmp()).hasToString("{\"type\":\"block-dirty-bitmap-add\",\"data\":{\"node\":\"disk0\","
                + "\"name\":\"b0\",\"granularity\":65536,\"persistent\":true}}");
        assertThat(a.description()).isEqualTo("add bitmap b0 on disk0, persistent");
        assertThat(a.with("granularity", "64k").problems()).containsExactly("granularity must be a whole number");
    }

    @Test
    void mergeTakesNamesOnTheNodeAndNodeColonNameElsewhere() {
        TxnAction a = TxnAction.of(ActionKind.BITMAP_MERGE).with("node", "disk0").with("target", "b0")
                .with("bitmaps", "b1, disk1:b2 ,");
        assertThat(a.toQmp().get("data")).hasToString(
                "{\"node\":\"disk0\",\"target\":\"b0\",\"bitmaps\":[\"b1\",{\"node\":\"disk1\",\"name\":\"b2\"}]}");
        assertThat(a.description()).isEqualTo("merge b1, disk1:b2 , into disk0:b0");
        assertThat(a.with("bitmaps", " , ").problems()).containsExactly("bitmaps names no bitmap");
        assertThat(a.with("bitmaps", "").problems()).containsExactly("bitmaps is required");
    }

    @Test
    void everyBitmapActionNamesNodeAndBitmap() {
        for (ActionKind k : new ActionKind[] {ActionKind.BITMAP_REMOVE, ActionKind.BITMAP_CLEAR,
                ActionKind.BITMAP_ENABLE, ActionKind.BITMAP_DISABLE}) {
            TxnAction a = TxnAction.of(k).with("node", "drive0").with("name", "bm0");
            assertThat(a.toQmp()).hasToString("{\"type\":\"" + k.type() + "\",\"data\":{\"node\":\"drive0\",\"name\":\"bm0\"}}");
            assertThat(a.description()).endsWith(" bitmap drive0:bm0");
            assertThat(TxnAction.of(k).problems()).containsExactly("node is required", "name is required");
            assertThat(k.isBitmap()).isTrue();
        }
    }

    @Test
    void abortHasNoData() {
        TxnAction a = TxnAction.of(ActionKind.ABORT);
        assertThat(a.toQmp()).hasToString("{\"type\":\"abort\",\"data\":{}}");
        assertThat(a.problems()).isEmpty();
        assertThat(a.target()).isEmpty();
    }

    @Test
    void membersAreTheDeclaredOnes() {
        assertThatThrownBy(() -> new TxnAction(ActionKind.ABORT, Map.of("node", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("abort has no member node");
        assertThat(ActionKind.ofType("block-dirty-bitmap-merge")).contains(ActionKind.BITMAP_MERGE);
        assertThat(ActionKind.ofType("drive-backup")).isEmpty();
    }
}
