package dev.blockdeck.engine.img;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;
import dev.blockdeck.engine.block.driver.qcow2.WholeClusters;

/**
 * The bench's memory of where guest clusters live ({@link WholeClusters} answers, one L2 slice's worth at a time),
 * so that a request maps itself without taking the image's lock: with 64 submitters on 2 cores, a lock taken per
 * request convoys behind whichever holder the scheduler preempts. Lookups are lock-free; filling a slot takes the
 * core lock. Answers only change when the image itself writes, which the bench does with no data I/O in flight and
 * then {@link #refresh}es what it wrote; a slot may be replaced by another slice at any time (readers keep the run
 * they already hold, which stays true until the image writes).
 */
final class MappedClusters {
    /** At most about this many answers are kept (8 bytes each). */
    private static final int MAX_ANSWERS = 4 << 20;

    private final Qcow2Image img;
    private final Object core;
    private final int runLength;
    private final AtomicReferenceArray<WholeClusters.Run> slots;

    MappedClusters(Qcow2Image img, Object core) {
        this.img = img;
        this.core = core;
        this.runLength = WholeClusters.runLength(img);
        this.slots = new AtomicReferenceArray<>(Integer.highestOneBit(Math.max(1, Math.min(256,
                MAX_ANSWERS / runLength))));
    }

    /** The answer for guest cluster {@code gci}, which must lie within the image. */
    long answer(long gci) throws IOException {
        long key = gci / runLength;
        int slot = (int) (key & (slots.length() - 1));
        WholeClusters.Run r = slots.get(slot);
        if (r == null || gci < r.first() || gci >= r.first() + r.answers().length) {
            synchronized (core) {
                r = slots.get(slot);
                if (r == null || gci < r.first() || gci >= r.first() + r.answers().length) {
                    r = WholeClusters.around(img, gci);
                    slots.set(slot, r);
                }
            }
        }
        return r.answer(gci);
    }

    /**
     * Asks again about guest clusters {@code first .. last} after the image wrote them. The caller holds the core
     * and keeps every other request out, so no reader sees an answer change under it.
     */
    void refresh(long first, long last) throws IOException {
        for (long g = first; g <= last; g++) {
            WholeClusters.Run r = slots.get((int) ((g / runLength) & (slots.length() - 1)));
            if (r != null && g >= r.first() && g < r.first() + r.answers().length) {
                r.answers()[(int) (g - r.first())] = WholeClusters.of(img, g);
            }
        }
    }
}
