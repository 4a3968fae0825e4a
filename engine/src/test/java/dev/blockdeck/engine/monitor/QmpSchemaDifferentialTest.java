package dev.blockdeck.engine.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.client.QmpClient;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;

/**
 * query-qmp-schema and query-commands against QEMU 7.2. Type names are masked as numbers and numbered
 * differently, so each command's and event's types are expanded into one structure and compared.
 */
class QmpSchemaDifferentialTest {
    private static final String DOWNSTREAM_PREFIX = "__dev.blockdeck_";

    private record Introspection(Map<String, JsonNode> byName, Set<String> commands) {
    }

    private static Introspection fetch(java.nio.file.Path socket) throws Exception {
        try (QmpClient c = QmpClient.connect(socket).get(10, TimeUnit.SECONDS)) {
            c.negotiate().get(10, TimeUnit.SECONDS);
            Map<String, JsonNode> byName = new HashMap<>();
            for (JsonNode e : c.execute("query-qmp-schema").get(10, TimeUnit.SECONDS)) {
                assertThat(byName.put(e.get("name").asText(), e)).as("duplicate schema entity").isNull();
            }
            Set<String> commands = new HashSet<>();
            c.execute("query-commands").get(10, TimeUnit.SECONDS).forEach(n -> commands.add(n.get("name").asText()));
            return new Introspection(byName, commands);
        }
    }

    /** The entity with every type reference replaced by the referenced entity, recursively. */
    private static JsonNode expand(Map<String, JsonNode> schema, String typeName, Set<String> path) {
        JsonNode e = schema.get(typeName);
        assertThat(e).as("schema references undefined type %s", typeName).isNotNull();
        if (!path.add(typeName)) {
            return JsonNodeFactory.instance.textNode("<recursive>");
        }
        ObjectNode out = e.deepCopy();
        boolean masked = Character.isDigit(typeName.charAt(0)) || typeName.startsWith("[");
        if (masked) {
            out.remove("name");
        }
        for (String ref : new String[] {"arg-type", "ret-type", "element-type"}) {
            if (out.has(ref)) {
                out.set(ref, expand(schema, out.get(ref).asText(), path));
            }
        }
        if (out.has("members") && "object".equals(out.path("meta-type").asText())
                || "alternate".equals(out.path("meta-type").asText())) {
            ArrayNode members = (ArrayNode) out.get("members");
            for (JsonNode m : members) {
                ((ObjectNode) m).set("type", expand(schema, m.get("type").asText(), path));
            }
        }
        if (out.has("variants")) {
            for (JsonNode v : out.get("variants")) {
                ((ObjectNode) v).set("type", expand(schema, v.get("type").asText(), path));
            }
        }
        path.remove(typeName);
        return out;
    }

    /**
     * Equal, except that a flat union may declare fewer variants than QEMU's (only the implemented
     * drivers or object types), with its tag enum listing just those, in QEMU's order.
     */
    private static void assertSameShape(String where, JsonNode ours, JsonNode theirs) {
        if (ours.isObject() && ours.has("tag") && theirs.isObject()) {
            assertThat(theirs.has("variants")).as("%s: QEMU has a union here: %s", where, theirs).isTrue();
            String tag = ours.get("tag").asText();
            java.util.Map<String, JsonNode> theirVariants = new HashMap<>();
            theirs.get("variants").forEach(v -> theirVariants.put(v.get("case").asText(), v.get("type")));
            for (JsonNode v : ours.get("variants")) {
                String c = v.get("case").asText();
                assertThat(theirVariants).as("%s: QEMU has variant %s", where, c).containsKey(c);
                assertSameShape(where + "/" + c, v.get("type"), theirVariants.get(c));
            }
            ObjectNode o = ours.deepCopy();
            ObjectNode t = theirs.deepCopy();
            assertThat(t.get("tag")).as("%s: tag", where).isEqualTo(o.get("tag"));
            o.remove(List.of("variants", "tag"));
            t.remove(List.of("variants", "tag"));
            for (int i = 0; i < o.get("members").size(); i++) {
                JsonNode om = o.get("members").get(i);
                JsonNode tm = t.get("members").get(i);
                if (om.get("name").asText().equals(tag)) {
                    List<String> ov = new java.util.ArrayList<>();
                    om.at("/type/values").forEach(x -> ov.add(x.asText()));
                    List<String> tv = new java.util.ArrayList<>();
                    tm.at("/type/values").forEach(x -> tv.add(x.asText()));
                    assertThat(tv).as("%s: tag values", where).containsSubsequence(ov);
                    ((ObjectNode) om).remove("type");
                    ((ObjectNode) tm).remove("type");
                }
            }
            assertSameShape(where, o, t);
            return;
        }
        if (ours.isObject() && theirs.isObject()) {
            assertThat(ImmutableKeys.of(ours)).as("%s: members", where).isEqualTo(ImmutableKeys.of(theirs));
            ours.fields().forEachRemaining(e -> assertSameShape(where + "." + e.getKey(), e.getValue(),
                    theirs.get(e.getKey())));
            return;
        }
        if (ours.isArray() && theirs.isArray()) {
            assertThat(ours.size()).as("%s: length", where).isEqualTo(theirs.size());
            for (int i = 0; i < ours.size(); i++) {
                assertSameShape(where + "[" + i + "]", ours.get(i), theirs.get(i));
            }
            return;
        }
        assertThat(ours).as(where).isEqualTo(theirs);
    }

    private static final class ImmutableKeys {
        static Set<String> of(JsonNode n) {
            Set<String> keys = new java.util.TreeSet<>();
            n.fieldNames().forEachRemaining(keys::add);
            return keys;
        }
    }

    @Test
    void everyCommandAndEventHasQemusShape() throws Exception {
        Qemu.requireBinary();
        Introspection qemu;
        try (Qemu q = Qemu.start()) {
            qemu = fetch(q.socket());
        }
        Introspection engine;
        try (EngineProcess e = EngineProcess.start()) {
            engine = fetch(e.socket());
        }
        assertThat(engine.commands()).isNotEmpty();
        for (String cmd : engine.commands()) {
            if (cmd.startsWith(DOWNSTREAM_PREFIX)) {
                continue;
            }
            assertThat(qemu.commands()).as("QEMU 7.2 has command %s", cmd).contains(cmd);
        }
        for (JsonNode entity : engine.byName().values()) {
            String meta = entity.get("meta-type").asText();
            String name = entity.get("name").asText();
            if (!meta.equals("command") && !meta.equals("event") || name.startsWith(DOWNSTREAM_PREFIX)) {
                continue;
            }
            ObjectNode ours = (ObjectNode) expand(engine.byName(), name, new HashSet<>());
            ObjectNode theirs = (ObjectNode) expand(qemu.byName(), name, new HashSet<>());
            assertSameShape(name, ours, theirs);
        }
    }
}
