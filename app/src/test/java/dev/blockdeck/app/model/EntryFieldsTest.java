package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The inspector's flattening, on entries recorded from QEMU 7.2. */
class EntryFieldsTest {

    private static final Recording DEVICE = Recording.load("device");
    private static final Recording CHAINS = Recording.load("chains");

    private static JsonNode named(Recording r, String nodeName) {
        for (JsonNode n : r.returned("query-named-block-nodes", Recording.JSON.createObjectNode().put("flat", true))) {
            if (n.path("node-name").asText().equals(nodeName)) {
                return n;
            }
        }
        throw new AssertionError(nodeName);
    }

    /** Every leaf of a JSON tree by path, with empty containers as leaves: what must all be shown. */
    private static List<String> leaves(JsonNode v, String path) {
        List<String> out = new ArrayList<>();
        if (v.isObject() && !v.isEmpty()) {
            v.fields().forEachRemaining(e -> out.addAll(leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey())));
        } else if (v.isArray() && !v.isEmpty()) {
            for (int i = 0; i < v.size(); i++) {
                out.addAll(leaves(v.get(i), path + "[" + i + "]"));
            }
        } else {
            out.add(path);
        }
        return out;
    }

    @Test
    void everyMemberOfEveryEntryAppearsOnceWithItsValue() {
        List<JsonNode> entries = new ArrayList<>();
        for (Recording r : List.of(DEVICE, CHAINS)) {
            r.returned("query-named-block-nodes", Recording.JSON.createObjectNode().put("flat", true)).forEach(entries::add);
        }
        assertThat(entries).hasSizeGreaterThan(8);
        for (JsonNode e : entries) {
            List<EntryFields.Field> fields = EntryFields.of(EntryFields.Source.BLOCK_NODE, e);
            assertThat(fields).extracting(EntryFields.Field::path).containsExactlyInAnyOrderElementsOf(leaves(e, ""));
            for (EntryFields.Field f : fields) {
                assertThat(f.value()).as(f.path()).isEqualTo(e.at("/" + f.path().replace('.', '/')
                        .replaceAll("\\[(\\d+)]", "/$1")));
            }
        }
        for (JsonNode bb : DEVICE.returned("query-block", null)) {
            assertThat(EntryFields.of(EntryFields.Source.BLOCK_BACKEND, bb)).extracting(EntryFields.Field::path)
                    .containsExactlyInAnyOrderElementsOf(leaves(bb, ""));
        }
    }

    @Test
    void aQcow2NodeByCategoryIdentityFirst() {
        List<EntryFields.Field> f = EntryFields.of(EntryFields.Source.BLOCK_NODE, named(DEVICE, "vd"));
        Map<String, List<String>> byCategory = f.stream().collect(Collectors.groupingBy(EntryFields.Field::category,
                java.util.LinkedHashMap::new, Collectors.mapping(EntryFields.Field::name, Collectors.toList())));
        assertThat(byCategory.get(EntryFields.NODE)).startsWith("node-name", "drv", "file", "ro")
                .contains("detect_zeroes", "encrypted", "write_threshold").doesNotContain("bps", "iops_rd");
        assertThat(byCategory.get(EntryFields.IMAGE)).contains("virtual-size", "cluster-size", "format-specific.type",
                "format-specific.data.compat", "format-specific.data.refcount-bits");
        assertThat(byCategory.get(EntryFields.CACHE)).containsExactlyInAnyOrder("writeback", "direct", "no-flush");
        assertThat(byCategory.get(EntryFields.LIMITS)).contains("bps", "bps_rd", "iops_wr");
        EntryFields.Field size = f.stream().filter(x -> x.path().equals("image.virtual-size")).findFirst().orElseThrow();
        assertThat(EntryFields.display(size)).isEqualTo("2147483648 (2 GiB)");
        EntryFields.Field file = f.stream().filter(x -> x.path().equals("file")).findFirst().orElseThrow();
        assertThat(EntryFields.display(file)).isEqualTo("/tmp/bdrec/vd.qcow2");
    }

    @Test
    void dirtyBitmapsByName() {
        List<EntryFields.Field> f = EntryFields.of(EntryFields.Source.BLOCK_NODE, named(CHAINS, "top2"));
        List<String> bitmaps = f.stream().filter(x -> x.category().equals(EntryFields.BITMAPS)).map(EntryFields.Field::name).toList();
        assertThat(bitmaps).isNotEmpty().allMatch(n -> n.contains("."));
        assertThat(bitmaps.stream().map(n -> n.substring(n.lastIndexOf('.') + 1))).contains("granularity", "recording");
    }

    @Test
    void backendsKeepTheirInsertedNodeApartAndIothreadsAreFlat() {
        JsonNode drive1 = null;
        for (JsonNode bb : DEVICE.returned("query-block", null)) {
            if (bb.path("device").asText().equals("drive1")) {
                drive1 = bb;
            }
        }
        List<EntryFields.Field> f = EntryFields.of(EntryFields.Source.BLOCK_BACKEND, drive1);
        assertThat(f.get(0).path()).isEqualTo("inserted.node-name");
        assertThat(f).filteredOn(x -> x.category().equals(EntryFields.BACKEND)).extracting(EntryFields.Field::name)
                .contains("device", "qdev", "locked", "removable", "type");
        assertThat(f).filteredOn(x -> x.category().equals(EntryFields.INSERTED)).extracting(EntryFields.Field::name)
                .contains("node-name", "drv", "ro");

        JsonNode thread = DEVICE.returned("query-iothreads", null).get(0);
        assertThat(EntryFields.of(EntryFields.Source.IOTHREAD, thread)).extracting(EntryFields.Field::category,
                EntryFields.Field::name).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("IOThread", "id"), org.assertj.core.groups.Tuple.tuple("IOThread", "thread-id"),
                org.assertj.core.groups.Tuple.tuple("IOThread", "poll-max-ns"), org.assertj.core.groups.Tuple.tuple("IOThread", "poll-grow"),
                org.assertj.core.groups.Tuple.tuple("IOThread", "poll-shrink"), org.assertj.core.groups.Tuple.tuple("IOThread", "aio-max-batch"));
    }
}
