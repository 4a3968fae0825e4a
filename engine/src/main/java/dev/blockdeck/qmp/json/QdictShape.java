package dev.blockdeck.qmp.json;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The QDict output order of one object shape (its member names in insertion order), with each member's key already
 * written as {@code "name": }. Answers repeat a few shapes many times (50 BlockDeviceInfo objects in one
 * query-named-block-nodes answer), so the order is worked out once per shape instead of once per object.
 */
final class QdictShape {
    /** Bounded, so that member names from user data (blockdev options, QOM properties) cannot grow it forever. */
    private static final int MAX_SHAPES = 2048;
    private static final ConcurrentHashMap<Names, QdictShape> SHAPES = new ConcurrentHashMap<>();

    /** Positions (indexes into the insertion-ordered names) in QEMU's iteration order. */
    final int[] order;
    /** Per insertion position: the escaped key followed by {@code ": "}. */
    final String[] keyText;

    private QdictShape(String[] names) {
        int n = names.length;
        // QDict walks its buckets in order and each bucket newest-first: a stable sort by bucket of the reversed
        // insertion order; bucket * n + position keeps the sort stable without a comparator
        long[] keyed = new long[n];
        for (int i = 0; i < n; i++) {
            keyed[i] = (long) QdictOrder.bucket(names[n - 1 - i]) * n + i;
        }
        Arrays.sort(keyed);
        order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = n - 1 - (int) (keyed[i] % n);
        }
        keyText = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder(names[i].length() + 4);
            QmpJsonWriter.writeString(names[i], sb);
            keyText[i] = sb.append(": ").toString();
        }
    }

    /** The shape of an object whose members, in insertion order, are {@code names} (the array is kept). */
    static QdictShape of(String[] names) {
        Names key = new Names(names);
        QdictShape s = SHAPES.get(key);
        if (s == null) {
            s = new QdictShape(names);
            if (SHAPES.size() < MAX_SHAPES) {
                SHAPES.putIfAbsent(key, s);
            }
        }
        return s;
    }

    /** Member names as a map key: hashes and compares the array's contents. */
    private static final class Names {
        private final String[] names;
        private final int hash;

        Names(String[] names) {
            this.names = names;
            this.hash = Arrays.hashCode(names);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Names other && other.hash == hash && Arrays.equals(other.names, names);
        }
    }
}
