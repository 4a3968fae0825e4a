package dev.blockdeck.engine.glib;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The slot layout of a GLib 2.74 GHashTable keyed by strings with {@code g_str_hash}, so that its
 * iteration order is GLib's. QEMU iterates such tables where order shows: the children of a QOM
 * object (query-iothreads, qom-list), class properties, the members a visitor has not consumed.
 *
 * <p>The model follows GLib's rules: open addressing at {@code hash * 11 mod prime}, quadratic
 * probing; removal leaves a tombstone, and insertion reuses the first tombstone on the probe path;
 * after an insertion into a never-used slot, or after a removal by key (not one through an iterator),
 * the table is rebuilt in place when it is 15/16 occupied (tombstones included) or less than 1/4 full
 * (live keys only).
 * Only keys are modelled: values never affect the layout.
 */
public final class GlibStringHashTable {
    /** GLib's {@code prime_mod} table, indexed by the table's shift. */
    private static final int[] PRIME_MOD = {1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191,
            16381, 32749, 65521, 131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213, 33554393,
            67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647};
    private static final int MIN_SHIFT = 3;
    private static final int UNUSED = 0;
    private static final int TOMBSTONE = 1;

    private int size;
    private int mod;
    private int mask;
    /** Per slot: UNUSED, TOMBSTONE, or the key's hash (never 0 or 1, as GLib stores it). */
    private int[] hashes;
    private String[] keys;
    private int nnodes;
    private int noccupied;

    public GlibStringHashTable() {
        setShift(MIN_SHIFT);
        hashes = new int[size];
        keys = new String[size];
    }

    /** A table after inserting {@code keys} in this order (duplicates ignored). */
    public static GlibStringHashTable of(Iterable<String> keys) {
        GlibStringHashTable t = new GlibStringHashTable();
        keys.forEach(t::add);
        return t;
    }

    /** Inserts {@code key}; false (and no change) if it is already there. */
    public boolean add(String key) {
        int hash = storedHash(key);
        int index = lookup(key, hash);
        int old = hashes[index];
        if (isReal(old)) {
            return false;
        }
        hashes[index] = hash;
        keys[index] = key;
        nnodes++;
        if (old == UNUSED) {
            // a reused tombstone changes no count, so GLib checks the load only here
            noccupied++;
            maybeResize();
        }
        return true;
    }

    /** Removes {@code key} as {@code g_hash_table_remove} does (the table may shrink); false if absent. */
    public boolean remove(String key) {
        boolean removed = removeOnly(key);
        if (removed) {
            maybeResize();
        }
        return removed;
    }

    /**
     * Removes {@code key} as {@code g_hash_table_iter_remove} does: a tombstone and never a rebuild
     * (an iterator must keep its place). QEMU's object_unparent removes a child this way.
     */
    public boolean iterRemove(String key) {
        return removeOnly(key);
    }

    private boolean removeOnly(String key) {
        int index = lookup(key, storedHash(key));
        if (!isReal(hashes[index])) {
            return false;
        }
        hashes[index] = TOMBSTONE;
        keys[index] = null;
        nnodes--;
        return true;
    }

    public boolean contains(String key) {
        return isReal(hashes[lookup(key, storedHash(key))]);
    }

    public int size() {
        return nnodes;
    }

    /** The keys in GLib's iteration order (slot order). */
    public List<String> keys() {
        List<String> out = new ArrayList<>(nnodes);
        for (int i = 0; i < size; i++) {
            if (isReal(hashes[i])) {
                out.add(keys[i]);
            }
        }
        return out;
    }

    /** The keys (given in insertion order, no removals) in GLib's iteration order. */
    public static List<String> iterationOrder(Iterable<String> insertionOrder) {
        return of(insertionOrder).keys();
    }

    /** The slot of {@code key}, or where it would go: the first tombstone passed, else the unused slot. */
    private int lookup(String key, int hash) {
        int index = toIndex(hash);
        int step = 0;
        int firstTombstone = -1;
        while (hashes[index] != UNUSED) {
            if (hashes[index] == hash && key.equals(keys[index])) {
                return index;
            }
            if (hashes[index] == TOMBSTONE && firstTombstone < 0) {
                firstTombstone = index;
            }
            step++;
            index = (index + step) & mask;
        }
        return firstTombstone >= 0 ? firstTombstone : index;
    }

    private void maybeResize() {
        if ((size > nnodes * 4 && size > 1 << MIN_SHIFT) || size <= noccupied + noccupied / 16) {
            resize();
        }
    }

    /**
     * Rebuilds the table in place, as GLib does: tombstones are cleared, and every entry is moved to its
     * slot in the new size in old-slot order, probing only past slots already settled; an entry found in
     * the target slot that has not moved yet is evicted and placed next. The layout depends on this walk.
     */
    private void resize() {
        int oldSize = size;
        setShift(Math.max(MIN_SHIFT, bits((int) (nnodes * 1.333))));
        int[] h = Arrays.copyOf(hashes, Math.max(size, oldSize));
        String[] k = Arrays.copyOf(keys, h.length);
        boolean[] settled = new boolean[h.length];
        for (int i = 0; i < oldSize; i++) {
            if (!isReal(h[i])) {
                h[i] = UNUSED;
                continue;
            }
            if (settled[i]) {
                continue;
            }
            int movingHash = h[i];
            String movingKey = k[i];
            h[i] = UNUSED;
            k[i] = null;
            while (true) {
                int index = toIndex(movingHash);
                int step = 0;
                while (settled[index]) {
                    step++;
                    index = (index + step) & mask;
                }
                settled[index] = true;
                int replacedHash = h[index];
                String replacedKey = k[index];
                h[index] = movingHash;
                k[index] = movingKey;
                if (!isReal(replacedHash)) {
                    break;
                }
                movingHash = replacedHash;
                movingKey = replacedKey;
            }
        }
        hashes = Arrays.copyOf(h, size);
        keys = Arrays.copyOf(k, size);
        noccupied = nnodes;
    }

    private void setShift(int shift) {
        size = 1 << shift;
        mod = PRIME_MOD[shift];
        mask = size - 1;
    }

    private int toIndex(int hash) {
        return (int) (Integer.toUnsignedLong(hash * 11) % mod);
    }

    /** GLib reserves hash values 0 and 1 (unused, tombstone): a key hashing to them is stored as 2. */
    private static int storedHash(String key) {
        int h = strHash(key);
        return Integer.compareUnsigned(h, 2) < 0 ? 2 : h;
    }

    /** A slot holding a key (stored hashes are never 0 or 1, but may be negative as Java ints). */
    private static boolean isReal(int hash) {
        return hash != UNUSED && hash != TOMBSTONE;
    }

    private static int bits(int n) {
        int i = 0;
        while (n != 0) {
            n >>>= 1;
            i++;
        }
        return i;
    }

    /** {@code g_str_hash}: djb2 over the UTF-8 bytes, taken as signed chars. */
    public static int strHash(String s) {
        int h = 5381;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h << 5) + h + b;
        }
        return h;
    }
}
