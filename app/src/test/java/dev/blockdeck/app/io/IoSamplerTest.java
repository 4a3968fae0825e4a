package dev.blockdeck.app.io;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.IoThreadInfo;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rates per drive and, through the graph's placements, per AioContext. */
class IoSamplerTest {

    private static final long SECOND = 1_000_000_000L;

    /** Two drives in iothread0 (one found by its root node, one by its backend), one in the main loop; io1 idle. */
    static BlockState state(boolean reported) {
        Placement io0 = reported ? Placement.reported("io0") : Placement.deviceLink("io0", "vd0");
        return new BlockState(List.of(
                node("node:#block1", NodeKind.PROTOCOL, "#block1", io0),
                node("backend:drive2", NodeKind.BACKEND, "drive2", io0),
                node("node:fmt3", NodeKind.FORMAT, "fmt3", reported ? Placement.reported(null) : Placement.MAIN_LOOP_ASSUMED)),
                List.of(), List.of(new IoThreadInfo("io0", 11, 0), new IoThreadInfo("io1", 12, 0)), List.of(), null);
    }

    private static GraphNode node(String key, NodeKind kind, String name, Placement p) {
        return new GraphNode(key, kind, name, "", "", -1, false, 0, "", null, p);
    }

    static DriveStats drive(String label, String device, String node, long r, long w, long rb, long wb) {
        return new DriveStats(label, device, node, new IoCounters(r, w, rb, wb));
    }

    static BlockStatsSample sample(long nanos, long scale) {
        return new BlockStatsSample(nanos, List.of(
                drive("vd0", "drive0", "#block1", 10 * scale, 0, 40_960 * scale, 0),
                drive("vd2", "drive2", "", 0, 20 * scale, 0, 81_920 * scale),
                drive("data", "data", "fmt3", 5 * scale, 5 * scale, 512 * scale, 512 * scale)));
    }

    @Test
    void theFirstSampleIsOnlyABaseline() {
        IoSampler sampler = new IoSampler();
        assertThat(sampler.add(sample(0, 1), new DriveContexts(state(true)))).isNull();
    }

    @Test
    void ratesPerDriveAndSumsPerContext() {
        IoSampler sampler = new IoSampler();
        DriveContexts contexts = new DriveContexts(state(true));
        sampler.add(sample(0, 1), contexts);
        IoSampler.Step step = sampler.add(sample(2 * SECOND, 3), contexts); // counters x3 after 2 s

        assertThat(step.startNanos()).isZero();
        assertThat(step.nanos()).isEqualTo(2 * SECOND);
        assertThat(step.drives()).containsOnlyKeys("vd0", "vd2", "data");
        assertThat(step.drives().get("vd0")).isEqualTo(new IoRate(10, 0, 40_960, 0));
        assertThat(step.drives().get("vd2")).isEqualTo(new IoRate(0, 20, 0, 81_920));
        assertThat(step.drives().get("data")).isEqualTo(new IoRate(5, 5, 512, 512));
        // every context the graph has, main loop first; an idle iothread is a zero line, not a missing one
        assertThat(step.contexts().keySet()).containsExactly(DriveContexts.MAIN_LOOP, "io0", "io1");
        assertThat(step.contexts()).isEqualTo(Map.of(
                DriveContexts.MAIN_LOOP, new IoRate(5, 5, 512, 512),
                "io0", new IoRate(10, 20, 40_960, 81_920),
                "io1", IoRate.ZERO));
        assertThat(contexts.assumed()).isFalse();
        assertThat(new DriveContexts(state(false)).assumed()).isTrue();
    }

    @Test
    void aNewOrReplacedDriveWaitsForItsSecondSample() {
        IoSampler sampler = new IoSampler();
        DriveContexts contexts = new DriveContexts(state(true));
        sampler.add(new BlockStatsSample(0, List.of(drive("vd0", "drive0", "#block1", 100, 0, 0, 0))), contexts);
        IoSampler.Step step = sampler.add(new BlockStatsSample(SECOND, List.of(
                drive("vd0", "drive0", "#block1", 3, 0, 0, 0),            // went down: replaced
                drive("data", "data", "fmt3", 7, 0, 0, 0))), contexts);   // new
        assertThat(step.drives()).isEmpty();
        assertThat(step.contexts().values()).containsOnly(IoRate.ZERO);

        step = sampler.add(new BlockStatsSample(2 * SECOND, List.of(
                drive("vd0", "drive0", "#block1", 13, 0, 0, 0), drive("data", "data", "fmt3", 9, 0, 0, 0))), contexts);
        assertThat(step.drives()).containsEntry("vd0", new IoRate(10, 0, 0, 0)).containsEntry("data", new IoRate(2, 0, 0, 0));
    }

    @Test
    void anAnswerThatOvertookALaterOneKeepsTheNewerBaseline() {
        IoSampler sampler = new IoSampler();
        DriveContexts contexts = new DriveContexts(state(true));
        sampler.add(sample(5 * SECOND, 2), contexts);
        assertThat(sampler.add(sample(4 * SECOND, 1), contexts)).isNull();
        IoSampler.Step step = sampler.add(sample(6 * SECOND, 3), contexts);
        assertThat(step.drives().get("vd0")).isEqualTo(new IoRate(10, 0, 40_960, 0));
    }

    @Test
    void aDriveWhoseDataEndsInNullCoKeepsNone() {
        Placement p = Placement.reported(null);
        BlockState s = new BlockState(List.of(
                new GraphNode("node:fmt", NodeKind.FORMAT, "fmt", "raw", "", -1, false, 0, "", null, p),
                new GraphNode("node:nul", NodeKind.PROTOCOL, "nul", "null-co", "", -1, false, 0, "", null, p),
                new GraphNode("node:top", NodeKind.FORMAT, "top", "qcow2", "", -1, false, 0, "", null, p),
                new GraphNode("node:top-file", NodeKind.PROTOCOL, "top-file", "file", "", -1, false, 0, "", null, p),
                new GraphNode("node:base", NodeKind.PROTOCOL, "base", "null-aio", "", -1, false, 0, "", null, p)),
                List.of(new dev.blockdeck.app.model.GraphEdge("node:fmt", "node:nul", "file", List.of(), List.of()),
                        new dev.blockdeck.app.model.GraphEdge("node:top", "node:top-file", "file", List.of(), List.of()),
                        new dev.blockdeck.app.model.GraphEdge("node:top", "node:base", "backing", List.of(), List.of())),
                List.of(), List.of(), null);
        DriveContexts c = new DriveContexts(s);
        assertThat(c.keepsNoData(drive("a", "a", "fmt", 0, 0, 0, 0))).as("raw over null-co").isTrue();
        assertThat(c.keepsNoData(drive("b", "b", "nul", 0, 0, 0, 0))).as("null-co itself").isTrue();
        assertThat(c.keepsNoData(drive("c", "c", "top", 0, 0, 0, 0))).as("writes stay in the top image").isFalse();
        assertThat(c.keepsNoData(drive("d", "d", "", 0, 0, 0, 0))).as("no medium").isFalse();
    }

    @Test
    void aDriveTheGraphDoesNotKnowCountsInTheMainLoop() {
        IoSampler sampler = new IoSampler();
        DriveContexts contexts = new DriveContexts(BlockState.EMPTY);
        sampler.add(new BlockStatsSample(0, List.of(drive("x", "x", "n", 0, 0, 0, 0))), contexts);
        IoSampler.Step step = sampler.add(new BlockStatsSample(SECOND, List.of(drive("x", "x", "n", 4, 0, 0, 0))), contexts);
        assertThat(step.contexts()).containsExactly(Map.entry(DriveContexts.MAIN_LOOP, new IoRate(4, 0, 0, 0)));
    }
}
