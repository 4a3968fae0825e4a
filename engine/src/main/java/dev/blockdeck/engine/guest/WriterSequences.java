package dev.blockdeck.engine.guest;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The sequences of one writer present in a snapshot set, as a set that can grow and shrink as layers are added
 * (an upper layer may replace or zero a block). A writer's set is consistent when it is exactly 1..m.
 */
final class WriterSequences {
    /** Sequences are BitSet indices. */
    static final long MAX_SEQUENCE = Integer.MAX_VALUE - 1;

    private final BitSet present = new BitSet();
    /** Copies beyond the first, for the rare sequence found in two blocks. */
    private final Map<Long, Integer> extraCopies = new HashMap<>();

    void add(long seq) {
        int i = (int) seq;
        if (present.get(i)) {
            extraCopies.merge(seq, 1, Integer::sum);
        } else {
            present.set(i);
        }
    }

    void remove(long seq) {
        Integer extra = extraCopies.get(seq);
        if (extra != null) {
            if (extra == 1) {
                extraCopies.remove(seq);
            } else {
                extraCopies.put(seq, extra - 1);
            }
        } else {
            present.clear((int) seq);
        }
    }

    boolean isEmpty() {
        return present.isEmpty();
    }

    /** The highest sequence present, or 0. */
    long highest() {
        return Math.max(0, present.length() - 1);
    }

    /** The lowest sequence from 1 on that is missing below the highest present one, or -1 if none is. */
    long firstGap() {
        int gap = present.nextClearBit(1);
        return gap < present.length() ? gap : -1;
    }

    /** The lowest sequence present above {@code seq}. */
    long nextPresent(long seq) {
        return present.nextSetBit((int) seq + 1);
    }
}
