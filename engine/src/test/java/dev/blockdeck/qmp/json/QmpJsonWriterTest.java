package dev.blockdeck.qmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

class QmpJsonWriterTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void compactWithQemuSeparatorsAndMemberOrder() {
        ObjectNode o = F.objectNode();
        o.set("return", F.objectNode().put("status", "running").put("singlestep", false).put("running", true));
        o.put("id", 1);
        assertThat(QmpJsonWriter.write(o))
                .isEqualTo("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": 1}");
        ObjectNode reversed = F.objectNode();
        reversed.put("z", 1);
        reversed.put("a", 2);
        assertThat(QmpJsonWriter.write(reversed)).isEqualTo("{\"z\": 1, \"a\": 2}");
    }

    @Test
    void emptyContainersAndScalars() {
        ArrayNode a = F.arrayNode();
        a.add(F.objectNode()).add(F.arrayNode()).add(F.nullNode()).add(true).add(false).add("");
        assertThat(QmpJsonWriter.write(a)).isEqualTo("[{}, [], null, true, false, \"\"]");
    }

    @Test
    void stringEscapes() {
        assertThat(QmpJsonWriter.write(F.textNode("\"\\/\b\f\n\r\t")))
                .isEqualTo("\"\\\"\\\\/\\b\\f\\n\\r\\t\"");
        assertThat(QmpJsonWriter.write(F.textNode("\u0000\u0001\u001f\u007f\u0080é€")))
                .isEqualTo("\"\\u0000\\u0001\\u001F\\u007F\\u0080\\u00E9\\u20AC\"");
        assertThat(QmpJsonWriter.write(F.textNode("é😀"))).isEqualTo("\"\\u00E9\\uD83D\\uDE00\"");
        assertThat(QmpJsonWriter.write(F.textNode("plain ascii ~"))).isEqualTo("\"plain ascii ~\"");
    }

    @Test
    void whatQemuCannotHoldBecomesReplacementCharacter() {
        assertThat(QmpJsonWriter.write(F.textNode("a\uD800b"))).isEqualTo("\"a\\uFFFDb\"");
        assertThat(QmpJsonWriter.write(F.textNode("\uDC00"))).isEqualTo("\"\\uFFFD\"");
        assertThat(QmpJsonWriter.write(F.textNode("\uFFFE\uFDD0"))).isEqualTo("\"\\uFFFD\\uFFFD\"");
        assertThat(QmpJsonWriter.write(F.textNode(new String(Character.toChars(0x10FFFF))))).isEqualTo("\"\\uFFFD\"");
    }

    @Test
    void numbers() {
        assertThat(QmpJsonWriter.write(F.numberNode(-9223372036854775808L))).isEqualTo("-9223372036854775808");
        assertThat(QmpJsonWriter.write(F.numberNode(new BigInteger("18446744073709551615"))))
                .isEqualTo("18446744073709551615");
        assertThat(QmpJsonWriter.write(F.numberNode(1.5))).isEqualTo("1.5");
        assertThat(QmpJsonWriter.write(F.numberNode(1e3))).isEqualTo("1000");
        assertThat(QmpJsonWriter.write(F.numberNode(1.2345678901234568e+29))).isEqualTo("1.2345678901234568e+29");
        assertThat(QmpJsonWriter.write(F.numberNode(0.1f))).isEqualTo("0.10000000149011612");
        assertThat(QmpJsonWriter.write(F.numberNode(new java.math.BigDecimal("2.5")))).isEqualTo("2.5");
    }

    @Test
    void roundTripThroughTheStreamer() {
        String text = "{\"a\": [1, -2, 1.5, \"x\\u00E9\\uD83D\\uDE00\", null, true, {}], \"b\": 18446744073709551615}";
        java.util.List<String> out = new java.util.ArrayList<>();
        QmpJsonStreamer s = new QmpJsonStreamer(new JsonMessageSink() {
            @Override
            public void onValue(com.fasterxml.jackson.databind.JsonNode value) {
                out.add(QmpJsonWriter.write(value));
            }

            @Override
            public void onError(String desc) {
                out.add("error " + desc);
            }
        });
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s.feed(b, 0, b.length);
        assertThat(out).containsExactly(text);
    }
}
