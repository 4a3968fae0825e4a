package dev.blockdeck.app.layout;

import dev.blockdeck.app.layout.GraphLayout.LaneBand;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.model.BlockState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Big graphs: ELK once per component shape, lanes wrapped into columns. */
class LaneColumnsTest {

    private static final LaneLayouter.Progress QUIET = new LaneLayouter.Progress() {
        @Override
        public void piecesDone(int done, int total) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    @Test
    void componentsOfOneShapeShareOneElkRun() {
        BlockState s = SyntheticStates.rawChains(40, 2);
        ElkPieces elk = new ElkPieces();
        var lane = s.lanes().get(1);
        var components = LaneLayouter.components(lane.nodes(), s.edges());
        for (var c : components) {
            var keys = c.stream().map(n -> n.key()).toList();
            assertThat(elk.layout(c, s.edges().stream().filter(e -> keys.contains(e.parentKey())).toList(), () -> false))
                    .isNotNull();
        }
        assertThat(components).hasSizeGreaterThan(10);
        assertThat(elk.elkRuns()).isEqualTo(1);
    }

    @Test
    void aSmallGraphKeepsOneColumn() {
        assertThat(LaneColumns.columns(3, List.of(78.0, 78.0, 174.0), 600)).isEqualTo(1);
        GraphLayout l = new LaneLayouter().layout(SyntheticStates.rawChains(12, 2), QUIET);
        assertThat(l.nodes().stream().mapToDouble(PlacedNode::x).distinct().count()).isEqualTo(2);
    }

    @Test
    void aThousandNodesWrapIntoALandscapeGraphWithoutOverlaps() {
        BlockState s = SyntheticStates.rawChains(500, 6);
        GraphLayout l = new LaneLayouter().layout(s, QUIET);
        assertThat(l.nodes()).hasSize(1000);
        assertThat(l.width() / l.height()).isBetween(0.8, 3.0);
        // every card inside its own lane's band, no two cards overlapping
        for (PlacedNode p : l.nodes()) {
            LaneBand band = l.lanes().stream().filter(b -> b.lane().id().equals(p.laneId())).findFirst().orElseThrow();
            assertThat(p.y()).isGreaterThanOrEqualTo(band.y());
            assertThat(p.y() + p.height()).isLessThanOrEqualTo(band.y() + band.height());
            assertThat(p.x() + p.width()).isLessThanOrEqualTo(l.width());
        }
        List<PlacedNode> n = l.nodes().stream().sorted((a, b) -> Double.compare(a.y(), b.y())).toList();
        for (int i = 0; i < n.size(); i++) {
            for (int j = i + 1; j < n.size() && n.get(j).y() < n.get(i).y() + n.get(i).height(); j++) {
                PlacedNode a = n.get(i);
                PlacedNode b = n.get(j);
                boolean apart = a.x() + a.width() <= b.x() || b.x() + b.width() <= a.x();
                assertThat(apart).as("%s and %s overlap", a.node().name(), b.node().name()).isTrue();
            }
        }
        // the protocol column lines up in every column of every lane: one x per (column, kind)
        long formatColumns = l.nodes().stream().filter(p -> p.node().driver().equals("raw")).mapToDouble(PlacedNode::x)
                .distinct().count();
        assertThat(formatColumns).isGreaterThan(1).isLessThanOrEqualTo(12);
    }

    @Test
    void columnsKeepTheOrderAndBalance() {
        int[] c = LaneColumns.assign(List.of(78.0, 78.0, 78.0, 78.0, 78.0, 78.0), 3);
        assertThat(c).containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(LaneColumns.assign(List.of(), 3)).isEmpty();
    }
}
