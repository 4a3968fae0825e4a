package dev.blockdeck.app.layout;

import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.GraphLayout.RoutedEdge;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.BlockStateReader;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Recording;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ELK in swimlanes, on graphs recorded from QEMU 7.2 (no screen needed). */
class LaneLayouterTest {

    private static final LaneLayouter.Progress QUIET = new LaneLayouter.Progress() {
        @Override
        public void piecesDone(int done, int total) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    private static BlockState device() {
        return new BlockStateReader(Recording.load("device")).read().join();
    }

    /** The chains recording as the engine would report it: chain 1 in iothread0. */
    private static BlockState chainsReported() {
        return new BlockStateReader(Recording.load("chains").answer(BlockStateReader.AIO_CONTEXTS, """
                [{"node-name": "top1", "iothread": "iothread0"}, {"node-name": "d0", "iothread": null},
                 {"node-name": "top2", "iothread": null}, {"node-name": "null0", "iothread": null},
                 {"node-name": "raw0", "iothread": null}]""")).read().join();
    }

    private static Map<String, PlacedNode> byName(GraphLayout l) {
        return l.nodes().stream().collect(Collectors.toMap(p -> p.node().name(), Function.identity()));
    }

    @Test
    void everyVertexIsPlacedOnceInsideItsLane() {
        BlockState s = chainsReported();
        GraphLayout l = new LaneLayouter().layout(s, QUIET);

        assertThat(l.nodes()).extracting(p -> p.node().key())
                .containsExactlyInAnyOrderElementsOf(s.nodes().stream().map(GraphNode::key).toList());
        assertThat(l.lanes()).extracting(b -> b.lane().id()).containsExactly("main-loop", "iothread0", "iothread1");
        for (PlacedNode p : l.nodes()) {
            LaneBand band = l.lanes().stream().filter(b -> b.lane().id().equals(p.laneId())).findFirst().orElseThrow();
            assertThat(p.laneId()).isEqualTo(band.lane().nodes().stream().anyMatch(n -> n.key().equals(p.node().key()))
                    ? band.lane().id() : "not in this lane");
            assertThat(p.y()).isGreaterThanOrEqualTo(band.y());
            assertThat(p.y() + p.height()).isLessThanOrEqualTo(band.y() + band.height());
            assertThat(p.x()).isGreaterThanOrEqualTo(LaneLayouter.HEADER_WIDTH);
        }
        assertThat(byName(l).get("top1").laneId()).isEqualTo("iothread0");
        assertThat(byName(l).get("drive0").laneId()).isEqualTo("main-loop");
    }

    @Test
    void lanesAreStackedAndCardsDoNotOverlap() {
        GraphLayout l = new LaneLayouter().layout(chainsReported(), QUIET);
        double y = 0;
        for (LaneBand b : l.lanes()) {
            assertThat(b.y()).isEqualTo(y);
            y += b.height();
        }
        assertThat(l.height()).isEqualTo(y);
        List<PlacedNode> n = l.nodes();
        for (int i = 0; i < n.size(); i++) {
            for (int j = i + 1; j < n.size(); j++) {
                PlacedNode a = n.get(i);
                PlacedNode b = n.get(j);
                boolean apart = a.x() + a.width() <= b.x() || b.x() + b.width() <= a.x()
                        || a.y() + a.height() <= b.y() || b.y() + b.height() <= a.y();
                assertThat(apart).as("%s and %s overlap", a.node().name(), b.node().name()).isTrue();
            }
        }
    }

    @Test
    void devicesComeFirstAndTheFirstNodeColumnLinesUpAcrossLanesAndChains() {
        GraphLayout l = new LaneLayouter().layout(device(), QUIET);
        Map<String, PlacedNode> p = byName(l);
        // iothread1: drive1 → vd → #block094; main loop: vblk1 → plain → plain-file
        assertThat(p.get("drive1").x()).isLessThan(p.get("vd").x());
        assertThat(p.get("vd").x()).isLessThan(p.get("#block094").x());
        assertThat(p.get("vd").x()).isEqualTo(p.get("plain").x(), within(0.5));
        assertThat(p.get("#block094").x()).isEqualTo(p.get("plain-file").x(), within(0.5));

        // a chain with no device starts in the node column too, and backing/file children share a column
        Map<String, PlacedNode> c = byName(new LaneLayouter().layout(chainsReported(), QUIET));
        assertThat(c.get("top2").x()).isEqualTo(c.get("d0").x(), within(0.5));
        assertThat(c.get("null0").x()).isEqualTo(c.get("d0").x(), within(0.5));
        // (a parent with two children needs a little room for the orthogonal fork: a few pixels)
        assertThat(c.get("base2").x()).isEqualTo(c.get("top2-file").x(), within(0.5));
        assertThat(c.get("base2").x()).isEqualTo(c.get("#block096").x(), within(4.0));
    }

    @Test
    void edgesRunFromTheParentsRightSideToTheChildsLeftSide() {
        GraphLayout l = new LaneLayouter().layout(chainsReported(), QUIET);
        Map<String, PlacedNode> byKey = l.nodes().stream().collect(Collectors.toMap(p -> p.node().key(), Function.identity()));
        assertThat(l.edges()).hasSize(9);
        for (RoutedEdge e : l.edges()) {
            PlacedNode from = byKey.get(e.edge().parentKey());
            PlacedNode to = byKey.get(e.edge().childKey());
            var first = e.points().get(0);
            var last = e.points().get(e.points().size() - 1);
            assertThat(first.x()).isEqualTo(from.x() + from.width(), within(0.5));
            assertThat(last.x()).isEqualTo(to.x(), within(0.5));
            assertThat(e.label().x()).isBetween(first.x(), last.x());
            assertThat(e.crossesLanes()).isFalse();
        }
    }

    @Test
    void theSameStateGivesTheSamePicture() {
        BlockState s = chainsReported();
        GraphLayout a = new LaneLayouter().layout(s, QUIET);
        GraphLayout b = new LaneLayouter().layout(s, QUIET);
        assertThat(a.nodes()).isEqualTo(b.nodes());
        assertThat(a.edges()).isEqualTo(b.edges());
    }

    @Test
    void anEdgeAcrossContextsIsKeptAndFlagged() {
        BlockState s = new BlockStateReader(Recording.load("chains").answer(BlockStateReader.AIO_CONTEXTS, """
                [{"node-name": "top1", "iothread": "iothread0"}, {"node-name": "#block185", "iothread": null}]"""))
                .read().join();
        GraphLayout l = new LaneLayouter().layout(s, QUIET);
        // top1 is reported in iothread0, its file in the main loop (and its unreported backing follows the latter)
        assertThat(l.edges()).filteredOn(RoutedEdge::crossesLanes)
                .extracting(e -> e.edge().parentKey() + " " + e.edge().role())
                .containsExactlyInAnyOrder("node:top1 file", "node:top1 backing");
    }

    @Test
    void cancellingReturnsNothing() {
        GraphLayout l = new LaneLayouter().layout(chainsReported(), new LaneLayouter.Progress() {
            @Override
            public void piecesDone(int done, int total) {
            }

            @Override
            public boolean cancelled() {
                return true;
            }
        });
        assertThat(l).isNull();
    }
}
