package dev.blockdeck.engine.glib;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The model against orders recorded from the real GLib 2.74 (src/test/resources/glib, with the script
 * that recorded them): random insert/remove mixes, growth then shrinking to empty, removals through an
 * iterator (which never shrink the table; a later insertion does), and churn at a constant size
 * (tombstones until a clean-up rebuild).
 */
class GlibStringHashTableTest {
    @Test
    void everyRecordedOrderIsReproduced() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/glib/glib-hash-table-2.74.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        GlibStringHashTable t = null;
        String currentCase = null;
        int checks = 0;
        List<String> ops = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# case ")) {
                currentCase = line.substring(7);
                t = new GlibStringHashTable();
                ops.clear();
            } else if (line.startsWith("#") || line.isEmpty()) {
                continue;
            } else if (line.startsWith("+")) {
                t.add(line.substring(1));
                ops.add(line);
            } else if (line.startsWith("-")) {
                t.remove(line.substring(1));
                ops.add(line);
            } else if (line.startsWith("~")) {
                t.iterRemove(line.substring(1));
                ops.add(line);
            } else if (line.startsWith("=")) {
                List<String> expected = line.length() > 2 ? Arrays.asList(line.substring(2).split(" ")) : List.of();
                assertThat(t.keys()).as("case %s after %d ops", currentCase, ops.size())
                        .containsExactlyElementsOf(expected);
                assertThat(t.size()).isEqualTo(expected.size());
                checks++;
            }
        }
        assertThat(checks).isGreaterThan(1000);
    }

    @Test
    void addAndRemoveAnswerWhetherTheyChangedAnything() {
        GlibStringHashTable t = new GlibStringHashTable();
        assertThat(t.add("a")).isTrue();
        assertThat(t.add("a")).isFalse();
        assertThat(t.contains("a")).isTrue();
        assertThat(t.remove("b")).isFalse();
        assertThat(t.remove("a")).isTrue();
        assertThat(t.contains("a")).isFalse();
        t.add("a");
        assertThat(t.iterRemove("a")).isTrue();
        assertThat(t.iterRemove("a")).isFalse();
        assertThat(t.keys()).isEmpty();
    }

    /** A re-added key takes the first tombstone on its probe path: its own old slot if nothing moved. */
    @Test
    void removingAndReAddingKeepsTheSlot() {
        List<String> ids = List.of("iothread0", "iothread1", "io2", "x");
        GlibStringHashTable t = GlibStringHashTable.of(ids);
        List<String> before = t.keys();
        t.remove("io2");
        t.add("io2");
        assertThat(t.keys()).isEqualTo(before);
    }

    /** The insert-only shortcut used by the argument checker agrees with the stateful table. */
    @Test
    void iterationOrderIsTheTablesOrder() {
        Random r = new Random(1);
        for (int n = 0; n < 200; n++) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < n % 60; i++) {
                keys.add("k" + r.nextInt(100000));
            }
            List<String> distinct = keys.stream().distinct().toList();
            assertThat(GlibStringHashTable.iterationOrder(distinct)).containsExactlyInAnyOrderElementsOf(distinct)
                    .isEqualTo(GlibStringHashTable.of(keys).keys());
        }
    }

    @Test
    void strHashIsDjb2OverSignedBytes() {
        assertThat(GlibStringHashTable.strHash("")).isEqualTo(5381);
        assertThat(GlibStringHashTable.strHash("a")).isEqualTo(5381 * 33 + 'a');
        // a byte above 0x7f counts as negative, as GLib's signed char does
        assertThat(GlibStringHashTable.strHash("\u00e9")).isEqualTo((5381 * 33 + (byte) 0xc3) * 33 + (byte) 0xa9);
    }
}
