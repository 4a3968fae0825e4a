package dev.blockdeck.app.layout;

import java.util.List;

/**
 * When a graph has hundreds of drives, one row per drive makes it a strip tens of thousands of pixels tall
 * that no zoom shows usefully. Then every lane is wrapped into the same number of side-by-side columns (so
 * columns line up across lanes, like the card columns inside them), chosen to make the graph about as wide
 * as a screen is, relative to its height. Small graphs keep one column.
 */
final class LaneColumns {

    /** Below this total height (about 30 rows of cards) nothing wraps. */
    static final double WRAP_ABOVE_HEIGHT = 3000;
    /** Width / height the wrapped graph aims at: a landscape window. */
    static final double TARGET_ASPECT = 1.6;
    static final double COLUMN_GAP = 48;
    private static final double ROW_GAP = 18;

    private LaneColumns() {
    }

    /**
     * @param laneCount    lanes (each costs its padding even when empty)
     * @param pieceHeights heights of all components, all lanes
     * @param columnWidth  width of one column of components
     */
    static int columns(int laneCount, List<Double> pieceHeights, double columnWidth) {
        double total = laneCount * 2 * LaneLayouter.LANE_PADDING;
        for (double h : pieceHeights) {
            total += h + ROW_GAP;
        }
        if (total <= WRAP_ABOVE_HEIGHT || pieceHeights.size() < 2) {
            return 1;
        }
        // k columns: width ≈ k·(columnWidth + gap), height ≈ total / k; width / height = aspect
        int k = (int) Math.round(Math.sqrt(TARGET_ASPECT * total / (columnWidth + COLUMN_GAP)));
        return Math.max(1, Math.min(k, pieceHeights.size()));
    }

    /**
     * Which column each component of one lane goes in, keeping their order (column by column, top to bottom)
     * and the columns about equally tall.
     */
    static int[] assign(List<Double> heights, int columns) {
        int[] column = new int[heights.size()];
        double total = 0;
        for (double h : heights) {
            total += h + ROW_GAP;
        }
        double start = 0;
        for (int i = 0; i < heights.size(); i++) {
            double middle = start + (heights.get(i) + ROW_GAP) / 2;
            column[i] = total <= 0 ? 0 : Math.min(columns - 1, (int) (middle * columns / total));
            start += heights.get(i) + ROW_GAP;
        }
        return column;
    }
}
