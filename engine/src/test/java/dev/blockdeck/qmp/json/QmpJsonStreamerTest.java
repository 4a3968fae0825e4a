package dev.blockdeck.qmp.json;

import static dev.blockdeck.qmp.json.Recording.feedOnce;
import static dev.blockdeck.qmp.json.Recording.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;

/** Lexer, parser and limits of the QMP JSON dialect, byte for byte as QEMU 7.2 (see also the hostile corpus). */
class QmpJsonStreamerTest {
    private static final String P = "E:JSON parse error, ";

    static Stream<Arguments> dialect() {
        return Stream.of(
                // values and message boundaries
                Arguments.of("{\"execute\":\"query-status\"}", List.of("V:{\"execute\": \"query-status\"}")),
                Arguments.of(" \t\r\n  \n", List.of()),
                Arguments.of("42", List.of()),
                Arguments.of("42 ", List.of("V:42")),
                Arguments.of("42{}", List.of("V:42", "V:{}")),
                Arguments.of("true false null", List.of("V:true", "V:false")),
                Arguments.of("\"a\"[1]{}", List.of("V:\"a\"", "V:[1]", "V:{}")),
                Arguments.of("-0 -0.0 1e400 -1e400 1e-400 1.5E+3 ", List.of("V:0", "V:-0", "V:inf", "V:-inf", "V:0", "V:1500")),
                Arguments.of("123456789012345678901234567890 ", List.of("V:1.2345678901234568e+29")),
                Arguments.of("{'a':'it\\'s \"q\"'}", List.of("V:{\"a\": \"it's \\\"q\\\"\"}")),
                Arguments.of("\"a\\'b\\/\"", List.of("V:\"a'b/\"")),
                Arguments.of("\"\u00c0\u0080\\u0000\"", List.of("V:\"\\u0000\\u0000\"")),
                Arguments.of("\"\\uD83D\\uDE00\u00f0\u009f\u0098\u0080\u00c3\u00a9\"",
                        List.of("V:\"\\uD83D\\uDE00\\uD83D\\uDE00\\u00E9\"")),
                Arguments.of("\"a\u007fb\"", List.of("V:\"a\\u007Fb\"")),
                // lexical errors and recovery
                Arguments.of("@", List.of(P + "stray '@'")),
                Arguments.of("%d", List.of(P + "stray '%'")),
                Arguments.of("NaN", List.of(P + "stray 'N'")),
                Arguments.of("012 ", List.of(P + "stray '01'")),
                Arguments.of("-a", List.of(P + "stray '-a'")),
                Arguments.of("[1e]", List.of(P + "stray '1e]'")),
                Arguments.of("[.5]", List.of(P + "stray '.'", P + "expecting value")),
                Arguments.of("\"a\tb\"", List.of(P + "stray '\"a\t'")),
                Arguments.of("\"a\u0000b\"", List.of(P + "stray '\"a'")),
                Arguments.of("\u0000", List.of(P + "stray ''")),
                Arguments.of("\"\u00ff\"", List.of(P + "stray '\"\uFFFD'")),
                Arguments.of("\"\u00c3\u0001", List.of(P + "stray '\"\uFFFD\u0001'")),
                Arguments.of("\"\\\u0001", List.of(P + "stray '\"\\\u0001'")),
                Arguments.of("1\u00ff", List.of("V:1", P + "stray '\uFFFD'")),
                Arguments.of("@\u0001{}", List.of(P + "stray '@'", P + "stray '\u0001'", "V:{}")),
                Arguments.of("@ abc \"x\" 1 {}", List.of(P + "stray '@'", "V:{}")),
                Arguments.of("@abc\n1 ", List.of(P + "stray '@'", "V:1")),
                Arguments.of("{\"a\":@@, \"b\":1}", List.of(P + "stray '@'", P + "expecting value", "V:\"b\"",
                        P + "expecting value", "V:1", P + "expecting value")),
                // parser errors
                Arguments.of("{\"execute\":tru}", List.of(P + "invalid keyword 'tru'")),
                Arguments.of("{\"a\":1,\"a\":2}", List.of(P + "duplicate key")),
                Arguments.of("{\"a\":1,\"a\":nul}", List.of(P + "invalid keyword 'nul'")),
                Arguments.of("{\"a\" 1}", List.of(P + "missing : in object pair")),
                Arguments.of("{\"a\":}", List.of(P + "expecting value")),
                Arguments.of("{\"a\":1,}", List.of(P + "expecting value")),
                Arguments.of("[1,]", List.of(P + "expecting value")),
                Arguments.of("[,1]", List.of(P + "expecting value")),
                Arguments.of("{1:2}", List.of(P + "key is not a string in object")),
                Arguments.of("{[\"a\"]:2}", List.of(P + "key is not a string in object")),
                Arguments.of("{[1 2]:2}", List.of(P + "expected separator in list")),
                Arguments.of("[1 2]", List.of(P + "expected separator in list")),
                Arguments.of("{\"a\":1 \"b\":2}", List.of(P + "expected separator in dict")),
                Arguments.of("{\"id\":0x10}", List.of(P + "expected separator in dict")),
                Arguments.of("{\"a\":1}}", List.of("V:{\"a\": 1}", P + "expecting value")),
                Arguments.of("]}:,", List.of(P + "expecting value", P + "expecting value", P + "expecting value",
                        P + "expecting value")),
                Arguments.of("[}", List.of(P + "expecting value")),
                Arguments.of("{]", List.of(P + "expecting value")),
                Arguments.of("[1}", List.of(P + "expected separator in list")),
                Arguments.of("{\"a\":1]", List.of(P + "expected separator in dict")),
                Arguments.of("{\"a\":[}", List.of()),
                Arguments.of("\"\\q\"", List.of(P + "invalid escape sequence in string")),
                Arguments.of("\"\\u12\"", List.of(P + "\\u12\" is not a valid Unicode character")),
                Arguments.of("\"\\u12\\x\"", List.of(P + "\\u12\\x is not a valid Unicode character")),
                Arguments.of("\"\\uD800\"", List.of(P + "\\uD800 is not a valid Unicode character")),
                Arguments.of("\"\\uD83D\\u0041\"", List.of(P + "\\uD83D is not a valid Unicode character")),
                Arguments.of("\"\\uDBFF\\uDFFF\"", List.of(P + "\\uDBFF\\uDFFF is not a valid Unicode character")),
                Arguments.of("\"\\uFDD0\"", List.of(P + "\\uFDD0 is not a valid Unicode character")),
                Arguments.of("\"\u00c1\u0081\"", List.of(P + "invalid UTF-8 sequence in string")),
                Arguments.of("\"\u00ed\u00a0\u0080\"", List.of(P + "invalid UTF-8 sequence in string")),
                Arguments.of("\"\u00ef\u00bf\u00be\"", List.of(P + "invalid UTF-8 sequence in string")),
                Arguments.of("\"\u00e0\u0080\u0080\"", List.of(P + "invalid UTF-8 sequence in string")));
    }

    @ParameterizedTest
    @MethodSource("dialect")
    void dialect(String input, List<String> expected) {
        assertThat(feedOnce(latin1(input))).containsExactlyElementsOf(expected);
    }

    @Test
    void integerNodeTypes() {
        List<JsonNode> v = values("2147483647 2147483648 -2147483648 -2147483649 9223372036854775807 "
                + "-9223372036854775808 9223372036854775808 18446744073709551615 18446744073709551616 "
                + "-9223372036854775809 1.0 ");
        assertThat(v).extracting(n -> (Object) n.getClass()).containsExactly(IntNode.class, LongNode.class,
                IntNode.class, LongNode.class, LongNode.class, LongNode.class, BigIntegerNode.class,
                BigIntegerNode.class, DoubleNode.class, DoubleNode.class, DoubleNode.class);
        assertThat(v.get(7).bigIntegerValue()).hasToString("18446744073709551615");
        assertThat(v.get(5).longValue()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void objectsKeepMemberOrder() {
        JsonNode o = values("{\"z\":1,\"a\":2,\"m\":{\"y\":[],\"b\":null}}").get(0);
        assertThat(QmpJsonWriter.write(o)).isEqualTo("{\"z\": 1, \"a\": 2, \"m\": {\"y\": [], \"b\": null}}");
    }

    @Test
    void longKeywordMessageIsCutAt1023Bytes() {
        String k = "k".repeat(2000);
        List<String> out = feedOnce(latin1("[" + k + "]"));
        String message = "invalid keyword '" + k;
        assertThat(out).containsExactly(P + message.substring(0, 1023));
    }

    @Test
    void strayTextIsNotCut() {
        String s = "s".repeat(5000);
        assertThat(feedOnce(latin1("\"" + s + "\u0001"))).containsExactly(P + "stray '\"" + s + "\u0001'");
    }

    @Test
    void nestingLimit() {
        assertThat(feedOnce(latin1("[".repeat(1024) + "]".repeat(1024)))).hasSize(1).allMatch(e -> e.startsWith("V:"));
        assertThat(feedOnce(latin1("{\"a\":".repeat(1024) + "1" + "}".repeat(1024)))).hasSize(1)
                .allMatch(e -> e.startsWith("V:"));
        List<String> out = feedOnce(latin1("[".repeat(1025) + "]".repeat(1025)));
        assertThat(out).hasSize(1026);
        assertThat(out.get(0)).isEqualTo("E:JSON nesting depth limit exceeded");
        assertThat(out.subList(1, 1026)).containsOnly(P + "expecting value");
        // mixed braces and brackets count together
        assertThat(feedOnce(latin1("[{\"a\":".repeat(512) + "[")))
                .containsExactly("E:JSON nesting depth limit exceeded");
    }

    @Test
    void tokenCountLimit() {
        int max = QmpJsonStreamer.MAX_TOKEN_COUNT;
        // '[' + (m x "0,") + "[]" + ']' is 2m + 4 tokens
        int m = (max - 4) / 2;
        byte[] ok = latin1("[" + "0,".repeat(m) + "[]]");
        List<String> out = feedOnce(ok);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).startsWith("V:[0, 0");
        // '[' + (m x "0,") + "0" + ']' is 2m + 3 tokens
        byte[] tooMany = latin1("[" + "0,".repeat((max - 2) / 2) + "0]");
        assertThat(feedOnce(tooMany)).containsExactly("E:JSON token count limit exceeded");
    }

    @Test
    void tokenSizeLimitForOneToken() {
        int max = (int) QmpJsonStreamer.MAX_TOKEN_BYTES;
        // a token of L bytes is accepted while L + 1 <= 64 MiB
        byte[] fits = stringToken(max - 1, "");
        List<String> out = feedOnce(fits);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).startsWith("V:\"aaaa").hasSize(2 + max - 1);
        assertThat(feedOnce(stringToken(max, ""))).containsExactly("E:JSON token size limit exceeded");
    }

    @Test
    void tokenSizeLimitCutsAnUnfinishedToken() {
        int max = (int) QmpJsonStreamer.MAX_TOKEN_BYTES;
        // an unterminated string is cut at 64 MiB + 1 bytes; the rest is lexed afresh as a keyword
        byte[] in = new byte[1 + max + 9 + 1];
        Arrays.fill(in, (byte) 'a');
        in[0] = '"';
        in[in.length - 1] = '}';
        assertThat(feedOnce(in)).containsExactly("E:JSON token size limit exceeded",
                P + "invalid keyword 'aaaaaaaaa'", P + "expecting value");
    }

    @Test
    void tokenSizeLimitAcrossTokens() {
        int half = 32 << 20;
        String a = "a".repeat(half);
        assertThat(feedOnce(latin1("[\"" + a + "\",\"" + a + "\"]")))
                .containsExactly("E:JSON token size limit exceeded", P + "expecting value");
    }

    /** A string token of {@code length} bytes including its quotes, followed by {@code after}. */
    private static byte[] stringToken(int length, String after) {
        byte[] tail = latin1(after);
        byte[] b = new byte[length + tail.length];
        Arrays.fill(b, 0, length, (byte) 'a');
        b[0] = '"';
        b[length - 1] = '"';
        System.arraycopy(tail, 0, b, length, tail.length);
        return b;
    }

    @Test
    void resetDropsPartialValueAndRecoveryState() {
        Recording r = new Recording();
        QmpJsonStreamer s = new QmpJsonStreamer(r);
        feed(s, "{\"a\":[1,");
        s.reset();
        feed(s, "{}");
        feed(s, "@abc");
        s.reset();
        feed(s, "1 \"unterminated");
        s.reset();
        feed(s, "[2]");
        assertThat(r.events).containsExactly("V:{}", P + "stray '@'", "V:1", "V:[2]");
    }

    @Test
    void byteBufferFeeds() {
        Recording r = new Recording();
        QmpJsonStreamer s = new QmpJsonStreamer(r);
        byte[] b = "{\"a\":1}[2]".getBytes(StandardCharsets.UTF_8);
        ByteBuffer heap = ByteBuffer.wrap(b, 0, 7);
        s.feed(heap);
        assertThat(heap.remaining()).isZero();
        ByteBuffer direct = ByteBuffer.allocateDirect(3);
        direct.put(b, 7, 3).flip();
        s.feed(direct);
        assertThat(direct.remaining()).isZero();
        assertThat(r.events).containsExactly("V:{\"a\": 1}", "V:[2]");
    }

    @Test
    void muchFasterThanQemu() {
        byte[] one = ("{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"qcow2\",\"node-name\":\"disk0\","
                + "\"file\":{\"driver\":\"file\",\"filename\":\"/var/lib/images/disk0.qcow2\"},\"cache\":"
                + "{\"direct\":true,\"no-flush\":false},\"discard\":\"unmap\"},\"id\":12345}\n")
                .getBytes(StandardCharsets.UTF_8);
        int copies = 20_000;
        byte[] all = new byte[one.length * copies];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        int[] count = new int[1];
        QmpJsonStreamer s = new QmpJsonStreamer(new JsonMessageSink() {
            @Override
            public void onValue(JsonNode value) {
                count[0]++;
            }

            @Override
            public void onError(String desc) {
                throw new AssertionError(desc);
            }
        });
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            s.feed(all, 0, all.length);
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertThat(count[0]).isEqualTo(5 * copies);
        double mbPerSecond = all.length / (best / 1e9) / 1e6;
        System.out.printf("QmpJsonStreamer: %.0f MB/s (QEMU: about 0.2 MB/s)%n", mbPerSecond);
        assertThat(mbPerSecond).isGreaterThan(10);
    }

    private static void feed(QmpJsonStreamer s, String text) {
        byte[] b = latin1(text);
        s.feed(b, 0, b.length);
    }

    private static List<JsonNode> values(String text) {
        Recording r = new Recording();
        QmpJsonStreamer s = new QmpJsonStreamer(r);
        feed(s, text);
        assertThat(r.events).allMatch(e -> e.startsWith("V:"));
        return Collections.unmodifiableList(r.values);
    }
}
