package dev.blockdeck.engine.monitor.qapi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The iteration order of a GLib string hash set (GHashTable with g_str_hash), which is where QEMU's
 * input visitor keeps the members it has not consumed yet: with several unexpected arguments, the one
 * QEMU reports is the first in this order. Open addressing, index {@code hash * 11 mod prime},
 * quadratic probing, growth when the table is 15/16 full.
 */
final class GlibStringSetOrder {
    /** GLib's {@code prime_mod} table, indexed by the table's shift. */
    private static final int[] PRIME_MOD = {1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191,
            16381, 32749, 65521, 131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213, 33554393,
            67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647};
    private static final int MIN_SHIFT = 3;

    private GlibStringSetOrder() {
    }

    /** The keys (given in insertion order, no duplicates) in the order GLib would iterate them. */
    static List<String> order(List<String> insertionOrder) {
        int shift = MIN_SHIFT;
        String[] slots = new String[1 << shift];
        int count = 0;
        for (String key : insertionOrder) {
            place(slots, PRIME_MOD[shift], key);
            count++;
            if (slots.length <= count + count / 16) {
                shift = Math.max(MIN_SHIFT, bits((int) (count * 1.333)));
                slots = rehash(slots, shift);
            }
        }
        List<String> out = new ArrayList<>(count);
        for (String k : slots) {
            if (k != null) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * GLib grows the table in place: it walks the old slots in order and moves each entry to its new
     * home, probing only past slots already settled; an entry found there that has not moved yet is
     * evicted and placed next. The resulting layout (and so the iteration order) depends on this.
     */
    private static String[] rehash(String[] old, int shift) {
        String[] slots = java.util.Arrays.copyOf(old, 1 << shift);
        boolean[] settled = new boolean[slots.length];
        int mask = slots.length - 1;
        int mod = PRIME_MOD[shift];
        for (int i = 0; i < old.length; i++) {
            if (slots[i] == null || settled[i]) {
                continue;
            }
            String moving = slots[i];
            slots[i] = null;
            while (moving != null) {
                int index = (int) (Integer.toUnsignedLong(strHash(moving) * 11) % mod);
                int step = 0;
                while (settled[index]) {
                    step++;
                    index = (index + step) & mask;
                }
                settled[index] = true;
                String evicted = slots[index];
                slots[index] = moving;
                moving = evicted;
            }
        }
        return slots;
    }

    private static void place(String[] slots, int mod, String key) {
        int mask = slots.length - 1;
        int index = (int) (Integer.toUnsignedLong(strHash(key) * 11) % mod);
        int step = 0;
        while (slots[index] != null) {
            step++;
            index = (index + step) & mask;
        }
        slots[index] = key;
    }

    private static int bits(int n) {
        int i = 0;
        while (n != 0) {
            n >>>= 1;
            i++;
        }
        return i;
    }

    /** g_str_hash: djb2 over the bytes, taken as signed chars. */
    static int strHash(String s) {
        int h = 5381;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h << 5) + h + b;
        }
        return h;
    }
}
