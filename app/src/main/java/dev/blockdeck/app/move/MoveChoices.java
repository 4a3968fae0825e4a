package dev.blockdeck.app.move;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.Lane;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the drive behind a card can be moved without dragging it (a menu, the keyboard): every lane of the graph,
 * in the graph's order, the one it is in marked. The same drives as a drag moves ({@link Drive#of}).
 *
 * @param key     the card's vertex key
 * @param label   the drive's name for menus ({@code drive0 (vblk0)})
 * @param targets one per lane
 */
public record MoveChoices(String key, String label, List<Target> targets) {

    /**
     * @param iothread the lane's iothread, null for the main loop
     * @param current  the drive is drawn in this lane: moving there does nothing
     */
    public record Target(String iothread, boolean current) {

        /** {@code iothread1} or {@code main loop}, as a menu item says it. */
        public String title() {
            return iothread == null ? "main loop" : iothread;
        }

        /** {@code main-loop} or the iothread id: the lanes' ids, for test ids. */
        public String laneId() {
            return iothread == null ? "main-loop" : iothread;
        }
    }

    public MoveChoices {
        targets = List.copyOf(targets);
    }

    /** Empty when the card moves no drive (a node inside a chain, a job, a lane header, nothing). */
    public static Optional<MoveChoices> of(BlockState state, String key) {
        if (key == null) {
            return Optional.empty();
        }
        return Drive.of(state, key).map(d -> new MoveChoices(key, d.label(), state.lanes().stream()
                .map(Lane::iothread).map(t -> new Target(t, Objects.equals(t, d.lane()))).toList()));
    }
}
