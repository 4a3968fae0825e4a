package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.BlockStateReader;
import dev.blockdeck.app.model.GraphEdge;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.model.Recording;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The words on cards, edges and lanes. */
class GraphTextTest {

    private static final BlockState DEVICE = new BlockStateReader(Recording.load("device")).read().join();
    private static final BlockState CHAINS = new BlockStateReader(Recording.load("chains")).read().join();

    private static GraphNode node(BlockState s, String name) {
        return s.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static Lane lane(BlockState s, String id) {
        return s.lanes().stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void cards() {
        GraphNode top2 = node(CHAINS, "top2");
        assertThat(GraphText.subtitle(top2)).isEqualTo("qcow2 · 128 MiB");
        assertThat(GraphText.detail(top2)).isEqualTo("top2.qcow2");
        assertThat(GraphText.describe(top2)).contains("node top2 (qcow2, format)", "file /tmp/bdrec/top2.qcow2",
                "134217728 bytes", "read-write", "2 dirty bitmaps", "AioContext: main loop — assumed");

        assertThat(GraphText.subtitle(node(CHAINS, "drive0"))).isEqualTo("BlockBackend · no device");
        assertThat(GraphText.subtitle(node(DEVICE, "drive1"))).isEqualTo("BlockBackend · device vblk0");
        assertThat(GraphText.detail(node(DEVICE, "drive1"))).isEqualTo("iothread=iothread1");
        assertThat(GraphText.subtitle(node(DEVICE, "vblk1"))).isEqualTo("unnamed BlockBackend");
        assertThat(GraphText.detail(node(DEVICE, "vblk1"))).isEqualTo("no iothread link");
    }

    @Test
    void edgesNameBothEndsAndThePermissions() {
        GraphEdge root = CHAINS.edges().stream().filter(e -> e.role().equals("root")).findFirst().orElseThrow();
        assertThat(GraphText.describe(root, CHAINS)).isEqualTo("drive0 → d0 as 'root'\ntakes: consistent-read\n"
                + "shares: resize, write-unchanged, write, consistent-read");
        GraphEdge raw = CHAINS.edges().stream().filter(e -> e.parentKey().equals("node:raw0")).findFirst().orElseThrow();
        assertThat(GraphText.describe(raw, CHAINS)).contains("takes: nothing");
    }

    @Test
    void lanesSayWhatIsAssumedAndWhy() {
        assertThat(GraphText.laneFacts(lane(DEVICE, "iothread1"))).hasSize(2).first().asString().startsWith("thread-id ");
        assertThat(GraphText.laneFacts(lane(DEVICE, "iothread1")).get(1)).isEqualTo("poll-max-ns 32768");
        assertThat(GraphText.laneAssumptions(lane(DEVICE, "iothread1"))).contains("vblk0", "dataplane");
        assertThat(GraphText.laneAssumptions(lane(DEVICE, "main-loop"))).contains("does not report AioContexts");
        assertThat(GraphText.emptyLane(CHAINS)).contains("does not report AioContexts");
    }
}
