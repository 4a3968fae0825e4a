package dev.blockdeck.app.move;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.Placement;
import dev.blockdeck.app.move.MoveDriveCommand.NodeMove;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Undo and redo stacks, and the IOThread id and deletion rules. */
class MoveRulesTest {

    private static NodeMove move(String node, String from, String to) {
        return new NodeMove("node:" + node, node, node, from, to, false, List.of(node));
    }

    @Test
    void undoAndRedoFollowWhatTheVmAccepted() {
        EditHistory h = new EditHistory();
        NodeMove a = move("a", null, "t1");
        NodeMove b = move("b", "t1", "t2");
        h.done(a);
        h.done(b);
        assertThat(h.nextUndo()).contains(b);
        h.undone(b, b);
        assertThat(h.nextUndo()).contains(a);
        assertThat(h.nextRedo()).contains(b);
        // a refused redo leaves it where it was
        assertThat(h.nextRedo()).contains(b);
        h.redone(b, b);
        assertThat(h.nextRedo()).isEmpty();
        h.undone(b, b);
        h.done(move("c", null, "t1"));
        assertThat(h.nextRedo()).as("a new move drops what was undone").isEmpty();
        assertThat(b.inverse().inverse()).isEqualTo(b);
    }

    @Test
    void idsAreCheckedAsQemuChecksThem() {
        BlockState s = new States().iothread("iothread0").build();
        // accepted and refused ids as QEMU 7.2's object-add answered them
        assertThat(Iothreads.problem("a.b-c_d", s)).isEmpty();
        assertThat(Iothreads.problem("io-new", s)).isEmpty();
        assertThat(Iothreads.problem("1bad", s)).isEqualTo("An id starts with a letter.");
        assertThat(Iothreads.problem("", s)).isEqualTo("Enter an id.");
        assertThat(Iothreads.problem("#x", s)).isEqualTo("An id starts with a letter.");
        assertThat(Iothreads.problem("a b", s)).isEqualTo("Only letters, digits, '-', '.' and '_' (not ' ').");
        assertThat(Iothreads.problem("iothread0", s)).isEqualTo("IOThread iothread0 exists already.");
        assertThat(Iothreads.problem("main-loop", s)).startsWith("main-loop names the main loop's lane");
        assertThat(Iothreads.suggestion(s)).isEqualTo("iothread1");
    }

    @Test
    void deletingIsWarnedAboutOnlyOnAQemuWithNodesInTheLane() {
        BlockState s = new States().iothread("t0").iothread("t1").iothread("t2")
                .node("moved", "raw", Placement.consoleMove("t1"))
                .backend("d", "vd", "t2", Placement.deviceLink("t2", "vd"))
                .node("n", "raw", Placement.deviceLink("t2", "vd")).edge("backend:d", "node:n", "root")
                .build();
        assertThat(Iothreads.deleteWarning("t0", s, false)).isEmpty();
        assertThat(Iothreads.deleteWarning("t1", s, false)).startsWith("IOThread t1 hosts moved, moved there with"
                + " x-blockdev-set-iothread. QEMU 7.2 deletes the iothread anyway and then aborts");
        assertThat(Iothreads.deleteWarning("t2", s, false)).startsWith("IOThread t2 is linked by vd.");
        assertThat(Iothreads.deleteWarning("t1", s, true)).as("the engine refuses by itself").isEmpty();
    }
}
