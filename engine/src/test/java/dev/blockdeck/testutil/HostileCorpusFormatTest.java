package dev.blockdeck.testutil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The corpus file format: parsing, escapes, repetition, and rewriting with new recorded lines. */
class HostileCorpusFormatTest {
    private static final String SAMPLE = """
            # header comment
            ## first-case
            # a comment
            phase: pre
            > {"a":\\x41\\\\\\r\\n\\t}
            >*3 [
            > é
            < old line

            ## second
            phase: oob
            > x
            """;

    @Test
    void parsesCases() {
        HostileCorpus corpus = HostileCorpus.parse(SAMPLE);
        assertThat(corpus.cases()).extracting(HostileCorpus.Case::name).containsExactly("first-case", "second");
        HostileCorpus.Case c = corpus.get("first-case");
        assertThat(c.phase()).isEqualTo(HostileCorpus.Phase.PRE);
        assertThat(new String(c.input(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":A\\\r\n\t}[[[é");
        assertThat(c.expected()).containsExactly("old line");
        assertThat(corpus.get("second").expected()).isEmpty();
        assertThat(corpus.get("second").phase()).isEqualTo(HostileCorpus.Phase.OOB);
    }

    @Test
    void rewritesOnlyTheRecordedLines() {
        HostileCorpus corpus = HostileCorpus.parse(SAMPLE);
        String out = corpus.withExpected(Map.of("first-case", List.of("new 1", "new 2"), "second", List.of("s")));
        assertThat(out).isEqualTo(SAMPLE.replace("< old line\n", "< new 1\n< new 2\n") + "< s\n");
        assertThat(corpus.withExpected(HostileCorpus.byName(corpus.cases()))).isEqualTo(SAMPLE);
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> HostileCorpus.parse("## a\nphase: pre\n> \\q\n")).hasMessageContaining("line 3");
        assertThatThrownBy(() -> HostileCorpus.parse("## a\n> x\n")).hasMessageContaining("no phase");
        assertThatThrownBy(() -> HostileCorpus.parse("## A b\nphase: pre\n")).hasMessageContaining("bad case name");
        assertThatThrownBy(() -> HostileCorpus.parse("## a\nphase: pre\n## a\nphase: pre\n"))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> HostileCorpus.parse("## a\nphase: later\n")).hasMessageContaining("unknown phase");
    }

    @Test
    void theCorpusFileRoundTripsAndFollowsItsRules() throws IOException {
        String text;
        try (InputStream in = HostileCorpus.class.getResourceAsStream(HostileCorpus.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HostileCorpus corpus = HostileCorpus.parse(text);
        assertThat(corpus.withExpected(HostileCorpus.byName(corpus.cases()))).isEqualTo(text);
        assertThat(corpus.cases()).hasSizeGreaterThanOrEqualTo(70);
        for (HostileCorpus.Case c : corpus.cases()) {
            String input = new String(c.input(), StandardCharsets.ISO_8859_1);
            assertThat(input).as(c.name()).doesNotContain("\"quit\"").doesNotContain("alive");
            assertThat(c.expected()).as(c.name()).isNotEmpty();
            assertThat(CorpusRunner.answersProbe(c.expected().get(c.expected().size() - 1))).as(c.name()).isTrue();
        }
        long queryCommands = corpus.cases().stream()
                .filter(c -> new String(c.input(), StandardCharsets.ISO_8859_1).contains("query-commands")).count();
        assertThat(queryCommands).isLessThanOrEqualTo(1);
    }
}
