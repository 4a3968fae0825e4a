package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.model.BlockState;
import javafx.concurrent.Task;

/** ELK layout of one {@link BlockState}, off the FX thread; progress counts laid-out components. */
final class LayoutTask extends Task<GraphLayout> {

    private final LaneLayouter layouter;
    private final BlockState state;

    LayoutTask(LaneLayouter layouter, BlockState state) {
        this.layouter = layouter;
        this.state = state;
    }

    @Override
    protected GraphLayout call() {
        updateMessage("Laying out…");
        return layouter.layout(state, new LaneLayouter.Progress() {
            @Override
            public void piecesDone(int done, int total) {
                updateProgress(done, total);
            }

            @Override
            public boolean cancelled() {
                return isCancelled();
            }
        });
    }
}
