package dev.blockdeck.qmp.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * QEMU keeps JSON objects in a 512-bucket hash table and walks it bucket by bucket, newest entry first
 * within a bucket. Its output member order (and the order it validates request members in) follows
 * from that; reproducing it makes our answers byte-identical to QEMU's, whatever order we built them in.
 * Insertion order is taken from the tree's own member order.
 */
public final class QdictOrder {
    private static final int BUCKETS = 512;
    /**
     * Buckets of keys seen before: answers repeat the same few hundred member names, and hashing them anew for
     * every object dominated big answers (query-named-block-nodes). Only short keys, and only so many, are kept, so
     * keys from user data cannot grow it without bound.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Integer> KNOWN =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int KNOWN_MAX = 4096;

    private QdictOrder() {
    }

    /** The bucket QEMU files {@code key} in (the TDB string hash QEMU's QDict uses). */
    public static int bucket(String key) {
        Integer known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        int b = hashBucket(key);
        if (key.length() <= 64 && KNOWN.size() < KNOWN_MAX) {
            KNOWN.put(key, b);
        }
        return b;
    }

    private static int hashBucket(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        int value = 0x238F13AF * b.length;
        for (int i = 0; i < b.length; i++) {
            value += (b[i] & 0xFF) << (i * 5 % 24);
        }
        int h = 1103515243 * value + 12345;
        return Integer.remainderUnsigned(h, BUCKETS);
    }

    /** The members of {@code obj} in QEMU's iteration order. */
    public static Iterator<Map.Entry<String, JsonNode>> entries(ObjectNode obj) {
        int n = obj.size();
        String[] names = new String[n];
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>(n);
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            names[list.size()] = e.getKey();
            list.add(e);
        }
        int[] order = QdictShape.of(names).order;
        List<Map.Entry<String, JsonNode>> ordered = new ArrayList<>(n);
        for (int p : order) {
            ordered.add(list.get(p));
        }
        return ordered.iterator();
    }

    /** A deep copy of {@code node} with every object's members in QEMU's order. */
    public static JsonNode reorder(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = entries((ObjectNode) node);
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), reorder(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(child -> out.add(reorder(child)));
            return out;
        }
        return node;
    }
}
