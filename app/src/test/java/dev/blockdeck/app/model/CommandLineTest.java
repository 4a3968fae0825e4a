package dev.blockdeck.app.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The QMP console's line syntax. */
class CommandLineTest {

    private static String args(String line) {
        CommandLine.Parsed p = CommandLine.parse(line);
        return p.arguments() == null ? null : p.arguments().toString();
    }

    @Test
    void aBareCommandHasNoArguments() {
        CommandLine.Parsed p = CommandLine.parse("  query-status  ");
        assertThat(p.command()).isEqualTo("query-status");
        assertThat(p.arguments()).isNull();
    }

    @Test
    void keyValuePairsAreJsonWhenTheyReadAsJsonElseStrings() {
        assertThat(args("qom-set path=/objects/io0 property=poll-max-ns value=16384"))
                .isEqualTo("{\"path\":\"/objects/io0\",\"property\":\"poll-max-ns\",\"value\":16384}");
        assertThat(args("x a=true b=null c=-1.5e3 d=\"12\" e=12abc f= g=[1,\"x y\"] h={\"k\": [true]}"))
                .isEqualTo("{\"a\":true,\"b\":null,\"c\":-1500.0,\"d\":\"12\",\"e\":\"12abc\",\"f\":\"\","
                        + "\"g\":[1,\"x y\"],\"h\":{\"k\":[true]}}");
    }

    @Test
    void dottedKeysNest() {
        assertThat(args("blockdev-add driver=raw node-name=r file.driver=null-co file.size=4096 cache.direct=false"))
                .isEqualTo("{\"driver\":\"raw\",\"node-name\":\"r\",\"file\":{\"driver\":\"null-co\",\"size\":4096},"
                        + "\"cache\":{\"direct\":false}}");
    }

    @Test
    void argumentsMayBeOneJsonObjectOrTheWholeRequest() {
        assertThat(args("blockdev-add {\"driver\": \"null-co\", \"node-name\": \"n0\"}"))
                .isEqualTo("{\"driver\":\"null-co\",\"node-name\":\"n0\"}");
        CommandLine.Parsed p = CommandLine.parse("{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/objects\", \"property\": \"type\"}, \"id\": 7}");
        assertThat(p.command()).isEqualTo("qom-get");
        assertThat(p.arguments().toString()).isEqualTo("{\"path\":\"/objects\",\"property\":\"type\"}");
        assertThat(CommandLine.request(p).toString()).isEqualTo(
                "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"/objects\",\"property\":\"type\"}}");
    }

    @Test
    void unreadableLinesSayWhy() {
        assertThatThrownBy(() -> CommandLine.parse("  ")).hasMessageContaining("Type a command");
        assertThatThrownBy(() -> CommandLine.parse("qom-get path")).hasMessage("Expected key=value, got 'path'");
        assertThatThrownBy(() -> CommandLine.parse("x a=1 a=2")).hasMessage("Key 'a' is given twice");
        assertThatThrownBy(() -> CommandLine.parse("x a=1 a.b=2")).hasMessageContaining("conflicts with a=1");
        assertThatThrownBy(() -> CommandLine.parse("x {\"a\": ")).hasMessageStartingWith("The arguments are not valid JSON");
        assertThatThrownBy(() -> CommandLine.parse("x [1]")).hasMessageStartingWith("Expected key=value");
        assertThatThrownBy(() -> CommandLine.parse("{\"arguments\": {}}")).hasMessageContaining("\"execute\"");
        assertThatThrownBy(() -> CommandLine.parse("{\"exec-oob\": \"x\"}")).hasMessageContaining("in-band");
        assertThatThrownBy(() -> CommandLine.parse("x a..b=1")).hasMessageContaining("Empty name");
    }

    @Test
    void tokensRespectQuotesAndBrackets() {
        assertThat(CommandLine.tokens(" a={\"x\": [1, 2]}  b=\"c \\\" d\" e=f "))
                .containsExactly("a={\"x\": [1, 2]}", "b=\"c \\\" d\"", "e=f");
    }
}
