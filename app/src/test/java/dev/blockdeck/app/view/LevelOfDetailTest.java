package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.GraphLayout.PlacedNode;
import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.layout.SyntheticStates;
import javafx.geometry.BoundingBox;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Level of detail, the spatial index behind culling, the minimap's geometry: plain Java, no screen. */
class LevelOfDetailTest {

    private static final LaneLayouter.Progress QUIET = new LaneLayouter.Progress() {
        @Override
        public void piecesDone(int done, int total) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    private static final GraphLayout BIG = new LaneLayouter().layout(SyntheticStates.rawChains(500, 6), QUIET);

    @Test
    void overviewBelowFortyPercentCardsFromFortyFiveWithHysteresis() {
        assertThat(GraphLod.CARDS.at(1.0)).isEqualTo(GraphLod.CARDS);
        assertThat(GraphLod.CARDS.at(0.39)).isEqualTo(GraphLod.OVERVIEW);
        assertThat(GraphLod.OVERVIEW.at(0.42)).as("between the thresholds: stays").isEqualTo(GraphLod.OVERVIEW);
        assertThat(GraphLod.CARDS.at(0.42)).isEqualTo(GraphLod.CARDS);
        assertThat(GraphLod.OVERVIEW.at(0.45)).isEqualTo(GraphLod.CARDS);
        assertThat(GraphLod.OVERVIEW.at(GraphCanvas.MIN_ZOOM_BIG)).isEqualTo(GraphLod.OVERVIEW);
    }

    @Test
    void theIndexFindsExactlyTheCardsInARectangle() {
        WorldIndex index = new WorldIndex(BIG);
        double x0 = 900;
        double y0 = 700;
        double x1 = 2100;
        double y1 = 1400;
        BitSet hits = index.nodesIn(x0, y0, x1, y1);
        BitSet expected = new BitSet();
        for (int i = 0; i < BIG.nodes().size(); i++) {
            PlacedNode p = BIG.nodes().get(i);
            if (p.x() <= x1 && p.x() + p.width() >= x0 && p.y() <= y1 && p.y() + p.height() >= y0) {
                expected.set(i);
            }
        }
        assertThat(hits).isEqualTo(expected);
        assertThat(hits.cardinality()).isBetween(5, 200);
        // a view bigger than the world holds everything
        assertThat(index.nodesIn(-1e6, -1e6, 1e6, 1e6).cardinality()).isEqualTo(1000);
        assertThat(index.edgesIn(-1e6, -1e6, 1e6, 1e6).cardinality()).isEqualTo(500);
        PlacedNode some = BIG.nodes().get(321);
        assertThat(index.nodeAt(some.x() + 5, some.y() + 5)).isEqualTo(321);
        assertThat(index.nodeAt(-50, -50)).isEqualTo(-1);
        assertThat(index.indexOf(some.node().key())).isEqualTo(321);
    }

    @Test
    void everyEdgeBoxHoldsItsLineAndLabel() {
        for (var e : BIG.edges()) {
            double[] b = WorldIndex.bounds(e);
            for (var p : e.points()) {
                assertThat(p.x()).isBetween(b[0], b[2]);
                assertThat(p.y()).isBetween(b[1], b[3]);
            }
            assertThat(e.label().x()).isBetween(b[0], b[2]);
        }
    }

    @Test
    void theMinimapHidesWhenEverythingIsInView() {
        assertThat(Minimap.covers(new BoundingBox(-10, -10, BIG.width() + 20, BIG.height() + 20), BIG)).isTrue();
        assertThat(Minimap.covers(new BoundingBox(100, 0, 800, 600), BIG)).isFalse();
    }
}
