package dev.blockdeck.app.move;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.Placement;
import dev.blockdeck.app.move.MoveDriveCommand.DeviceMove;
import dev.blockdeck.app.move.MoveDriveCommand.NodeMove;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which card moves what, and which command a drop becomes on the engine and on a QEMU. */
class MovePlannerTest {

    private static final Capabilities ENGINE = new Capabilities(true, true);
    private static final Capabilities QEMU = new Capabilities(false, true);

    /**
     * drive0 → fmt0 → proto0 behind vblk0 (linked to iothread0); top → base (a bare chain in the main loop);
     * data → d (a -drive without device); a job's anonymous backend on jobnode; cd0, an empty drive of vcd0.
     */
    private static BlockState state(Placement devicePlacement) {
        Placement main = Placement.MAIN_LOOP_ASSUMED;
        return new States().iothread("iothread0").iothread("iothread1")
                .backend("drive0", "vblk0", "iothread0", devicePlacement)
                .node("fmt0", "qcow2", devicePlacement).node("proto0", "file", devicePlacement)
                .edge("backend:drive0", "node:fmt0", "root").edge("node:fmt0", "node:proto0", "file")
                .node("top", "qcow2", main).node("base", "qcow2", main).edge("node:top", "node:base", "backing")
                .backend("data", "", null, main).node("d", "raw", main).edge("backend:data", "node:d", "root")
                .backend("#7", "", null, main).node("jobnode", "raw", main).edge("backend:#7", "node:jobnode", "root")
                .backend("cd0", "vcd0", null, main)
                .build();
    }

    private static Drive drive(BlockState s, String key) {
        return Drive.of(s, key).orElseThrow();
    }

    @Test
    void aDriveIsItsComponentSeenThroughItsDevice() {
        BlockState s = state(Placement.reported("iothread0"));
        Drive byBackend = drive(s, "backend:drive0");
        assertThat(byBackend.label()).isEqualTo("drive0 (vblk0)");
        assertThat(byBackend.device()).isEqualTo("vblk0");
        assertThat(byBackend.deviceLink()).isEqualTo("iothread0");
        assertThat(byBackend.node()).isEqualTo("fmt0");
        assertThat(byBackend.blockNodes()).containsExactly("fmt0", "proto0");
        assertThat(byBackend.lane()).isEqualTo("iothread0");
        // the format node has a parent (the backend): only the top of a chain is a handle
        assertThat(Drive.of(s, "node:fmt0")).isEmpty();
        assertThat(Drive.of(s, "node:proto0")).isEmpty();
        assertThat(Drive.of(s, "node:base")).isEmpty();
    }

    @Test
    void theEngineMovesADeviceLiveFromItsLink() {
        BlockState s = state(Placement.reported("iothread0"));
        MovePlanner.Decision d = MovePlanner.plan(drive(s, "backend:drive0"), "iothread1", ENGINE);
        assertThat(d.command()).isEqualTo(new DeviceMove("backend:drive0", "drive0 (vblk0)", "vblk0", "iothread0",
                "iothread1"));
        assertThat(d.replugOnRefusal()).isFalse();
        assertThat(d.command().arguments()).hasToString("{\"id\":\"vblk0\",\"iothread\":\"iothread1\"}");
        assertThat(d.command().inverse().arguments()).hasToString("{\"id\":\"vblk0\",\"iothread\":\"iothread0\"}");
    }

    @Test
    void qemuIsAskedForADeviceDriveAndARefusalMeansARePlug() {
        BlockState s = state(Placement.deviceLink("iothread0", "vblk0"));
        MovePlanner.Decision d = MovePlanner.plan(drive(s, "backend:drive0"), null, QEMU);
        assertThat(d.command()).isEqualTo(new NodeMove("backend:drive0", "drive0 (vblk0)", "fmt0", "iothread0", null,
                false, List.of("fmt0", "proto0")));
        assertThat(d.command().arguments()).hasToString("{\"node-name\":\"fmt0\",\"iothread\":null}");
        assertThat(d.replugOnRefusal()).isTrue();
    }

    @Test
    void bareNodesMoveEverywhereAndNamedBackendsWithoutDeviceAreForced() {
        BlockState s = state(Placement.reported("iothread0"));
        NodeMove chain = (NodeMove) MovePlanner.plan(drive(s, "node:top"), "iothread1", QEMU).command();
        assertThat(chain.arguments()).hasToString("{\"node-name\":\"top\",\"iothread\":\"iothread1\"}");
        assertThat(chain.component()).containsExactly("top", "base");
        assertThat(chain.inverse().arguments()).hasToString("{\"node-name\":\"top\",\"iothread\":null}");

        MoveDriveCommand data = MovePlanner.plan(drive(s, "backend:data"), "iothread1", ENGINE).command();
        assertThat(data.arguments()).hasToString("{\"node-name\":\"d\",\"iothread\":\"iothread1\",\"force\":true}");
        // a job's or an export's backend has no name: its user is not in the graph, so no force
        assertThat(Drive.of(s, "node:jobnode")).isEmpty();
        MoveDriveCommand byJobBackend = MovePlanner.plan(drive(s, "backend:#7"), "iothread1", QEMU).command();
        assertThat(byJobBackend.arguments()).hasToString("{\"node-name\":\"jobnode\",\"iothread\":\"iothread1\"}");
    }

    @Test
    void theSameLaneOrAnEmptyDriveOnQemuSendsNothing() {
        BlockState s = state(Placement.reported("iothread0"));
        MovePlanner.Decision same = MovePlanner.plan(drive(s, "backend:drive0"), "iothread0", ENGINE);
        assertThat(same.command()).isNull();
        assertThat(same.reason()).isEmpty();
        MovePlanner.Decision empty = MovePlanner.plan(drive(s, "backend:cd0"), "iothread1", QEMU);
        assertThat(empty.command()).isNull();
        assertThat(empty.reason()).isEqualTo("cd0 (vcd0) has no medium: there is no node to move, and this VM cannot"
                + " move a device's context.");
        assertThat(MovePlanner.plan(drive(s, "backend:cd0"), "iothread1", ENGINE).command())
                .isEqualTo(new DeviceMove("backend:cd0", "cd0 (vcd0)", "vcd0", null, "iothread1"));
        assertThat(MovePlanner.plan(drive(s, "node:top"), "iothread1", new Capabilities(false, false)).reason())
                .isEqualTo("This VM has no x-blockdev-set-iothread: drives cannot be moved.");
    }
}
