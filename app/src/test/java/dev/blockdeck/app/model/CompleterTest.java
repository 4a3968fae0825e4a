package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Completion from QEMU 7.2's own query-qmp-schema (recorded by app/src/test/scripts/record-schema.py). */
class CompleterTest {

    private static QmpSchema schema;
    private static Completer completer;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = CompleterTest.class.getResourceAsStream("qemu72-schema.json")) {
            JsonNode recorded = Recording.JSON.readTree(in);
            schema = QmpSchema.parse(recorded.get("return"));
        }
        completer = new Completer(schema);
    }

    private static List<String> texts(String line) {
        return completer.complete(line).stream().map(Completer.Completion::text).toList();
    }

    private static String apply(String line, Completer.Completion c) {
        return line.substring(0, c.start()) + c.text();
    }

    @Test
    void commandNamesByPrefix() {
        assertThat(schema.commands()).hasSize(216).contains("query-named-block-nodes", "blockdev-add");
        assertThat(texts("query-na")).containsExactly("query-name", "query-named-block-nodes ");
        // with arguments a space follows, so their names come next; without, the line is complete
        assertThat(texts("query-statu")).containsExactly("query-status");
        assertThat(texts("  query-named-b")).containsExactly("query-named-block-nodes ");
        assertThat(completer.complete("  query-named-b").get(0).start()).isEqualTo(2);
        assertThat(texts("no-such-thing")).isEmpty();
    }

    @Test
    void argumentNamesRequiredFirstAndNotTwice() {
        assertThat(texts("query-named-block-nodes ")).containsExactly("flat=");
        assertThat(completer.complete("query-named-block-nodes f").get(0).label()).isEqualTo("flat · boolean, optional");
        assertThat(texts("qom-set ")).containsExactly("path=", "property=", "value=");
        assertThat(texts("qom-set path=/objects/io0 ")).containsExactly("property=", "value=");
        assertThat(texts("qom-set path=/objects/io0 pr")).containsExactly("property=");
        String line = "qom-set path=/objects/io0 pr";
        assertThat(apply(line, completer.complete(line).get(0))).isEqualTo("qom-set path=/objects/io0 property=");
    }

    @Test
    void aUnionsTagSelectsItsVariantsMembers() {
        List<String> base = texts("blockdev-add ");
        assertThat(base).startsWith("driver=").contains("node-name=", "read-only=", "cache=")
                .doesNotContain("size=", "filename=");
        assertThat(texts("blockdev-add driver=null-co ")).contains("size=", "latency-ns=", "read-zeroes=", "node-name=")
                .doesNotContain("driver=", "filename=");
        assertThat(texts("blockdev-add driver=file fil")).containsExactly("filename=");
        assertThat(texts("blockdev-add driver=null-co cache.")).containsExactlyInAnyOrder("cache.direct=", "cache.no-flush=");
        assertThat(texts("blockdev-add driver=null-co cache.direct=true cache.")).containsExactly("cache.no-flush=");
    }

    @Test
    void enumAndBoolValues() {
        assertThat(texts("blockdev-add driver=nu")).containsExactly("null-aio ", "null-co ");
        Completer.Completion c = completer.complete("blockdev-add driver=nu").get(0);
        assertThat(c.start()).isEqualTo("blockdev-add driver=".length());
        assertThat(texts("query-named-block-nodes flat=")).containsExactly("true ", "false ");
        assertThat(texts("blockdev-add driver=null-co detect-zeroes=u")).containsExactly("unmap ");
    }

    @Test
    void jsonIsLeftAlone() {
        assertThat(texts("{\"execute\": \"query-na")).isEmpty();
        assertThat(texts("blockdev-add {\"dri")).isEmpty();
    }

    @Test
    void namesOnlyFromQueryCommands() {
        Completer names = new Completer(QmpSchema.ofCommandNames(List.of("stop", "cont", "query-status")));
        assertThat(names.complete("st").stream().map(Completer.Completion::text)).containsExactly("stop ");
        assertThat(names.complete("stop ")).isEmpty();
    }
}
