package dev.blockdeck.engine.bitmap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An array of bits where bit {@code i} stands for the items {@code [i << granularity, (i + 1) << granularity)}
 * (QEMU's HBitmap). The bits live in 64-bit words (the lowest level, which serialisation and the debug hash see
 * word for word); a summary level with one bit per non-zero word lets searches skip empty stretches.
 *
 * <p>Semantics follow QEMU 7.2 where they are observable: {@link #count} is set bits shifted by the granularity
 * (so a partial last group counts whole), range operations round outwards to whole groups, whole-word
 * deserialisation may leave bits past the end set (they are hashed and OR-merged, never counted), and merging
 * bitmaps of different granularities sets every group a dirty area of the source touches.
 *
 * <p>Not thread-safe: {@link NodeDirtyBitmaps} guards every bitmap of a node with one lock.
 */
public final class HBitmap {
    private static final int WORD_SHIFT = 6;
    private static final int WORD_BITS = 1 << WORD_SHIFT;
    /** QEMU refuses bitmaps beyond 2^41 bits; Java arrays stop earlier, at 2^31 words. */
    private static final long MAX_WORDS = Integer.MAX_VALUE - 8;

    private final int granularity;
    private long origSize;
    private long size;
    private long[] words;
    private long[] summary;
    private long count;

    /** A clear bitmap covering {@code items} items, one bit per {@code 1 << granularity} of them. */
    public HBitmap(long items, int granularity) {
        if (granularity < 0 || granularity >= 64) {
            throw new IllegalArgumentException("granularity " + granularity);
        }
        if (items < 0) {
            throw new IllegalArgumentException("size " + items);
        }
        this.granularity = granularity;
        this.origSize = items;
        this.size = bitsFor(items);
        this.words = new long[wordsFor(size)];
        this.summary = new long[wordsFor(words.length)];
    }

    private HBitmap(HBitmap o) {
        granularity = o.granularity;
        origSize = o.origSize;
        size = o.size;
        words = o.words.clone();
        summary = o.summary.clone();
        count = o.count;
    }

    private long bitsFor(long items) {
        return items == 0 ? 0 : ((items - 1) >>> granularity) + 1;
    }

    private static int wordsFor(long bits) {
        long w = Math.max(1, (bits + WORD_BITS - 1) >>> WORD_SHIFT);
        if (w > MAX_WORDS) {
            throw new IllegalArgumentException("bitmap too large: " + bits + " bits");
        }
        return (int) w;
    }

    public HBitmap copy() {
        return new HBitmap(this);
    }

    /** log2 of the items per bit. */
    public int granularity() {
        return granularity;
    }

    /** The size in items, as created or last truncated. */
    public long origSize() {
        return origSize;
    }

    /** The number of bits. */
    public long bits() {
        return size;
    }

    /** Set bits times items per bit (QEMU's hbitmap_count). */
    public long count() {
        return count << granularity;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    // ---- single bits and ranges --------------------------------------------------------------------------------

    public boolean get(long item) {
        long pos = item >>> granularity;
        if (item < 0 || pos >= size) {
            throw new IndexOutOfBoundsException("item " + item + " outside a bitmap of " + origSize);
        }
        return (words[(int) (pos >>> WORD_SHIFT)] & (1L << pos)) != 0;
    }

    /** Sets every group that {@code [start, start + count)} touches; a zero count does nothing. */
    public void set(long start, long items) {
        if (items == 0) {
            return;
        }
        long first = start >>> granularity;
        long last = lastBit(start, items);
        for (int w = (int) (first >>> WORD_SHIFT); w <= (int) (last >>> WORD_SHIFT); w++) {
            long old = words[w];
            long now = old | mask(w, first, last);
            if (now != old) {
                count += Long.bitCount(now) - Long.bitCount(old);
                words[w] = now;
                if (old == 0) {
                    summary[w >>> WORD_SHIFT] |= 1L << w;
                }
            }
        }
    }

    /** Clears every group that {@code [start, start + count)} touches; a zero count does nothing. */
    public void reset(long start, long items) {
        if (items == 0) {
            return;
        }
        long first = start >>> granularity;
        long last = lastBit(start, items);
        for (int w = (int) (first >>> WORD_SHIFT); w <= (int) (last >>> WORD_SHIFT); w++) {
            long old = words[w];
            long now = old & ~mask(w, first, last);
            if (now != old) {
                count -= Long.bitCount(old) - Long.bitCount(now);
                words[w] = now;
                if (now == 0) {
                    summary[w >>> WORD_SHIFT] &= ~(1L << w);
                }
            }
        }
    }

    private long lastBit(long start, long items) {
        if (start < 0 || items < 0 || start > Long.MAX_VALUE - items) {
            throw new IndexOutOfBoundsException("range " + start + "+" + items);
        }
        long last = (start + items - 1) >>> granularity;
        if (last >= size) {
            throw new IndexOutOfBoundsException("range " + start + "+" + items + " outside a bitmap of " + origSize);
        }
        return last;
    }

    /** The bits of word {@code w} that lie in {@code [first, last]}. */
    private static long mask(int w, long first, long last) {
        long lo = (long) w << WORD_SHIFT;
        long hi = lo + WORD_BITS - 1;
        long m = -1L;
        if (first > lo) {
            m &= -1L << (first - lo);
        }
        if (last < hi) {
            m &= -1L >>> (hi - last);
        }
        return m;
    }

    public void resetAll() {
        Arrays.fill(words, 0);
        Arrays.fill(summary, 0);
        count = 0;
    }

    // ---- searching ----------------------------------------------------------------------------------------------

    /** The first set bit at or after {@code bit} and below {@code endBit}, or -1. */
    private long nextSetBit(long bit, long endBit) {
        if (bit >= endBit) {
            return -1;
        }
        int w = (int) (bit >>> WORD_SHIFT);
        long cur = words[w] & (-1L << bit);
        while (cur == 0) {
            w = nextNonZeroWord(w + 1);
            if (w < 0 || ((long) w << WORD_SHIFT) >= endBit) {
                return -1;
            }
            cur = words[w];
        }
        long found = ((long) w << WORD_SHIFT) + Long.numberOfTrailingZeros(cur);
        return found < endBit ? found : -1;
    }

    /** The first non-zero word at or after {@code w}, found through the summary level; -1 if none. */
    private int nextNonZeroWord(int w) {
        if (w >= words.length) {
            return -1;
        }
        int s = w >>> WORD_SHIFT;
        long cur = summary[s] & (-1L << w);
        while (cur == 0) {
            if (++s >= summary.length) {
                return -1;
            }
            cur = summary[s];
        }
        return (s << WORD_SHIFT) + Long.numberOfTrailingZeros(cur);
    }

    /** The first clear bit at or after {@code bit} and below {@code endBit}, or -1. */
    private long nextClearBit(long bit, long endBit) {
        if (bit >= endBit) {
            return -1;
        }
        int w = (int) (bit >>> WORD_SHIFT);
        long cur = ~words[w] & (-1L << bit);
        int lastWord = (int) ((endBit - 1) >>> WORD_SHIFT);
        while (cur == 0) {
            if (++w > lastWord) {
                return -1;
            }
            cur = ~words[w];
        }
        long found = ((long) w << WORD_SHIFT) + Long.numberOfTrailingZeros(cur);
        return found < endBit ? found : -1;
    }

    /**
     * The first dirty item in {@code [start, start + items)} (QEMU's hbitmap_next_dirty): the start of the first
     * set group, but not before {@code start}; -1 if there is none or the range starts past the end.
     */
    public long nextDirty(long start, long items) {
        if (start < 0 || items < 0) {
            throw new IllegalArgumentException("range " + start + "+" + items);
        }
        if (start >= origSize || items == 0) {
            return -1;
        }
        long end = items > origSize - start ? origSize : start + items;
        long bit = nextSetBit(start >>> granularity, size);
        if (bit < 0) {
            return -1;
        }
        long off = bit << granularity;
        if (off >= end) {
            return -1;
        }
        return Math.max(start, off);
    }

    /** The first clean item in {@code [start, start + items)} (QEMU's hbitmap_next_zero), or -1. */
    public long nextZero(long start, long items) {
        if (start < 0 || items < 0) {
            throw new IllegalArgumentException("range " + start + "+" + items);
        }
        if (start >= origSize || items == 0) {
            return -1;
        }
        long endBit = items > origSize - start ? size : ((start + items - 1) >>> granularity) + 1;
        long bit = nextClearBit(start >>> granularity, endBit);
        if (bit < 0) {
            return -1;
        }
        return Math.max(start, bit << granularity);
    }

    /** A run of dirty items. */
    public record Area(long offset, long length) {
    }

    /**
     * The first dirty area inside {@code [start, end)}, at most {@code maxLength} long (QEMU's
     * hbitmap_next_dirty_area); null if the range is clean.
     */
    public Area nextDirtyArea(long start, long end, long maxLength) {
        if (start < 0 || end < 0 || maxLength <= 0) {
            throw new IllegalArgumentException("area " + start + ".." + end + " max " + maxLength);
        }
        end = Math.min(end, origSize);
        if (start >= end) {
            return null;
        }
        start = nextDirty(start, end - start);
        if (start < 0) {
            return null;
        }
        end = start + Math.min(end - start, maxLength);
        long zero = nextZero(start, end - start);
        if (zero >= 0) {
            end = zero;
        }
        return new Area(start, end - start);
    }

    // ---- merge and resize ---------------------------------------------------------------------------------------

    /** {@code result := a | b}; the three must cover the same number of items (QEMU's hbitmap_merge). */
    public static void merge(HBitmap a, HBitmap b, HBitmap result) {
        if (a.origSize != result.origSize || b.origSize != result.origSize) {
            throw new IllegalArgumentException("merging bitmaps of different sizes");
        }
        if ((a.count == 0 && result == b) || (b.count == 0 && result == a)) {
            return;
        }
        if (a.count == 0 && b.count == 0) {
            result.resetAll();
            return;
        }
        if (a.granularity != b.granularity || a.granularity != result.granularity) {
            if (result != a && result != b) {
                result.resetAll();
            }
            if (result != a) {
                sparseMerge(result, a);
            }
            if (result != b) {
                sparseMerge(result, b);
            }
            return;
        }
        for (int w = 0; w < result.words.length; w++) {
            result.words[w] = a.words[w] | b.words[w];
        }
        result.rebuildSummary();
        result.count = result.countWithin();
    }

    /** Sets in {@code dst} every dirty area of {@code src} (works across granularities). */
    private static void sparseMerge(HBitmap dst, HBitmap src) {
        long off = 0;
        Area a;
        while ((a = src.nextDirtyArea(off, src.origSize, Long.MAX_VALUE)) != null) {
            dst.set(a.offset(), a.length());
            off = a.offset() + a.length();
        }
    }

    /**
     * Resizes to {@code items} (QEMU's hbitmap_truncate): shrinking first clears the whole groups past the new
     * end; growing adds clear words.
     */
    public void truncate(long items) {
        if (items < 0) {
            throw new IllegalArgumentException("size " + items);
        }
        origSize = items;
        long bits = bitsFor(items);
        if (bits == size) {
            return;
        }
        if (bits < size) {
            long from = bits << granularity;
            reset(from, (size << granularity) - from);
        }
        size = bits;
        int n = wordsFor(bits);
        if (n != words.length) {
            words = Arrays.copyOf(words, n);
            summary = new long[wordsFor(n)];
            rebuildSummary();
        }
    }

    private void rebuildSummary() {
        Arrays.fill(summary, 0);
        for (int w = 0; w < words.length; w++) {
            if (words[w] != 0) {
                summary[w >>> WORD_SHIFT] |= 1L << w;
            }
        }
    }

    /** Set bits below {@link #bits}, ignoring anything past the end of the last word. */
    private long countWithin() {
        long c = 0;
        int full = (int) (size >>> WORD_SHIFT);
        for (int w = 0; w < full; w++) {
            c += Long.bitCount(words[w]);
        }
        int rest = (int) (size & (WORD_BITS - 1));
        if (rest != 0) {
            c += Long.bitCount(words[full] & ((1L << rest) - 1));
        }
        return c;
    }

    // ---- serialisation (little-endian 64-bit words, as QEMU writes them into qcow2 and migration) ---------------

    /** Items covered by one serialised 64-bit word: chunks must start at multiples of this. */
    public long serializationAlign() {
        if (granularity >= 58) {
            throw new IllegalStateException("granularity too large to serialise");
        }
        return 64L << granularity;
    }

    /** Bytes {@link #serializePart} writes for {@code [start, start + items)}. */
    public long serializationSize(long start, long items) {
        if (items == 0) {
            return 0;
        }
        return wordCount(start, items) * 8L;
    }

    private int firstWord(long start, long items) {
        long align = serializationAlign();
        if ((start & (align - 1)) != 0) {
            throw new IllegalArgumentException("chunk start " + start + " not aligned to " + align);
        }
        long last = lastBit(start, items);
        if (last != size - 1 && (items & (align - 1)) != 0) {
            throw new IllegalArgumentException("chunk of " + items + " not aligned to " + align);
        }
        return (int) ((start >>> granularity) >>> WORD_SHIFT);
    }

    private int wordCount(long start, long items) {
        int first = firstWord(start, items);
        int last = (int) (lastBit(start, items) >>> WORD_SHIFT);
        return last - first + 1;
    }

    /** Writes the words covering {@code [start, start + items)} into {@code out} at {@code off}. */
    public void serializePart(byte[] out, int off, long start, long items) {
        if (items == 0) {
            return;
        }
        int first = firstWord(start, items);
        int n = wordCount(start, items);
        ByteBuffer b = ByteBuffer.wrap(out, off, n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putLong(words[first + i]);
        }
    }

    /** Replaces the words covering {@code [start, start + items)} with those in {@code in} at {@code off}. */
    public void deserializePart(byte[] in, int off, long start, long items, boolean finish) {
        if (items != 0) {
            int first = firstWord(start, items);
            int n = wordCount(start, items);
            ByteBuffer b = ByteBuffer.wrap(in, off, n * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                words[first + i] = b.getLong();
            }
        }
        if (finish) {
            deserializeFinish();
        }
    }

    /** Clears the whole words covering the chunk. */
    public void deserializeZeroes(long start, long items, boolean finish) {
        fillWords(start, items, 0L, finish);
    }

    /** Sets the whole words covering the chunk, bits past the end of the bitmap included (as QEMU does). */
    public void deserializeOnes(long start, long items, boolean finish) {
        fillWords(start, items, -1L, finish);
    }

    private void fillWords(long start, long items, long value, boolean finish) {
        if (items != 0) {
            int first = firstWord(start, items);
            Arrays.fill(words, first, first + wordCount(start, items), value);
        }
        if (finish) {
            deserializeFinish();
        }
    }

    /** Recomputes the summary level and the count after the words were replaced. */
    public void deserializeFinish() {
        rebuildSummary();
        count = countWithin();
    }

    // ---- debugging -----------------------------------------------------------------------------------------------

    /**
     * SHA-256 of the lowest level as QEMU keeps it in memory on a little-endian 64-bit host: every word, the
     * last one whole (x-debug-block-dirty-bitmap-sha256).
     */
    public String sha256() {
        ByteBuffer b = ByteBuffer.allocate(words.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) {
            b.putLong(w);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
