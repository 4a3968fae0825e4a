package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;

/**
 * Which guest clusters of an image are, as a whole, plain data in one host cluster, for a caller that moves the
 * data to and from the image file itself (the img tool's bench): it asks once per L2 slice and then does its I/O
 * with no call into the image. An answer is the host offset of the cluster's first byte, with {@link #IN_PLACE}
 * set when the cluster may also be overwritten there (owned by this L2 entry: copied flag, and every subcluster
 * allocated), or {@link #NOT_DATA} (unallocated, zero, compressed, partly allocated, beyond the end: the request
 * must go through the image). Nothing is changed; the L2 slice is loaded into the cache if needed. Callers
 * serialise these calls with every other use of the image, and must drop answers for clusters the image writes.
 */
public final class WholeClusters {
    /** Answer bit: the cluster may be written in place (host offsets are cluster aligned, so bit 0 is free). */
    public static final long IN_PLACE = 1;
    /** Answer for a cluster that is not whole plain data in one host cluster. */
    public static final long NOT_DATA = -1;

    private WholeClusters() {
    }

    /** Guest clusters {@code first .. first + answers.length - 1} and their answers. */
    public record Run(long first, long[] answers) {
        /** The answer for guest cluster {@code gci}, which must lie in this run. */
        public long answer(long gci) {
            return answers[(int) (gci - first)];
        }
    }

    /** How many guest clusters one {@link #around} run covers at most (one L2 slice). */
    public static int runLength(Qcow2Image img) {
        return img.sliceEntries;
    }

    /** The guest clusters whose L2 entries share {@code gci}'s slice, with their answers. */
    public static Run around(Qcow2Image img, long gci) throws IOException {
        int len = img.sliceEntries;
        long first = gci - (gci & (img.l2Entries - 1)) % len;
        long end = Math.min(first + len, clusters(img));
        if (gci < 0 || gci >= end) {
            throw new IllegalArgumentException("guest cluster " + gci + " is beyond the image");
        }
        long[] answers = new long[(int) (end - first)];
        try (L2Ref r = img.l2For(gci, false)) {
            for (int i = 0; i < answers.length; i++) {
                if (r == null) {
                    answers[i] = NOT_DATA;
                } else {
                    long[] e = img.entryIn(r.slice, first + i);
                    answers[i] = answer(img, e[0], e[1]);
                }
            }
        }
        return new Run(first, answers);
    }

    /** The answer for guest cluster {@code gci} alone. */
    public static long of(Qcow2Image img, long gci) throws IOException {
        if (gci < 0 || gci >= clusters(img)) {
            return NOT_DATA;
        }
        try (L2Ref r = img.l2For(gci, false)) {
            return r == null ? NOT_DATA : answer(img, r.entry(), r.bitmap());
        }
    }

    private static long answer(Qcow2Image img, long entry, long bitmap) {
        if (!img.usable(false)) {
            return NOT_DATA;
        }
        Qcow2Image.Extent x = img.classify(entry, bitmap, 0, img.clusterSize);
        if (x == null || x.type() != Qcow2Image.ExtentType.DATA || x.length() != img.clusterSize) {
            return NOT_DATA;
        }
        boolean inPlace = img.usable(true) && img.inPlaceHost(entry, bitmap, 0, img.clusterSize) >= 0;
        return x.host() | (inPlace ? IN_PLACE : 0);
    }

    private static long clusters(Qcow2Image img) {
        return (img.size() + img.clusterSize - 1) >>> img.clusterBits;
    }
}
