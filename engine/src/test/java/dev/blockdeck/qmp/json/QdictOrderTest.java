package dev.blockdeck.qmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * QDict member order, checked against a model of QEMU's table itself (512 buckets, each a list that new entries
 * join at the head, walked bucket by bucket): the shape cache must give that order for every object, the first
 * time a shape is seen and every time after.
 */
class QdictOrderTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static Stream<Integer> seeds() {
        return IntStream.range(0, 40).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void membersComeOutInTheTablesOrder(int seed) {
        Random rnd = new Random(seed);
        // a small name space makes bucket collisions (where newest-first matters) common
        int n = 1 + rnd.nextInt(60);
        List<String> names = new ArrayList<>();
        while (names.size() < n) {
            String k = "k" + rnd.nextInt(400);
            if (!names.contains(k)) {
                names.add(k);
            }
        }
        ObjectNode obj = F.objectNode();
        names.forEach(k -> obj.put(k, k.length()));
        List<String> want = tableOrder(names);
        for (int round = 0; round < 2; round++) { // a new shape, then the cached one
            List<String> got = new ArrayList<>();
            QdictOrder.entries(obj).forEachRemaining(e -> got.add(e.getKey()));
            assertThat(got).isEqualTo(want);
            StringBuilder sb = new StringBuilder();
            QmpJsonWriter.writeInQdictOrder(obj, sb);
            assertThat(keysOf(sb.toString())).isEqualTo(want);
        }
    }

    @Test
    void nestedObjectsAreOrderedAndWrittenLikeTheReorderedCopy() throws Exception {
        ObjectNode inner = F.objectNode().put("virtual-size", 1).put("filename", "a\"b").put("format", "raw");
        ObjectNode outer = F.objectNode().put("node-name", "n").put("ro", false);
        outer.set("image", inner);
        outer.set("list", F.arrayNode().add(inner.deepCopy()).add(F.objectNode()));
        assertThat(QmpJsonWriter.writeInQdictOrder(outer)).isEqualTo(QmpJsonWriter.write(QdictOrder.reorder(outer)));
    }

    /** QEMU's table: per bucket, a list with the newest entry first; iteration walks buckets 0 to 511. */
    private static List<String> tableOrder(List<String> insertion) {
        List<LinkedList<String>> buckets = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            buckets.add(new LinkedList<>());
        }
        insertion.forEach(k -> buckets.get(QdictOrder.bucket(k)).addFirst(k));
        List<String> out = new ArrayList<>();
        buckets.forEach(out::addAll);
        return out;
    }

    private static List<String> keysOf(String json) {
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            List<String> keys = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                keys.add(it.next().getKey());
            }
            return keys;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
