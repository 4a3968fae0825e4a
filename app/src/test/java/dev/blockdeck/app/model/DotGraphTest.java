package dev.blockdeck.app.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The DOT export of graphs read from QEMU 7.2 recordings, checked by Graphviz itself when installed. */
class DotGraphTest {

    static boolean dotAvailable() {
        try {
            Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code dot -Tsvg}: the SVG, or an assertion error with Graphviz's complaint. */
    static String svg(Path dotFile) throws Exception {
        Process p = new ProcessBuilder("dot", "-Tsvg", dotFile.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("dot -Tsvg: %s", err).isZero();
        assertThat(err).as("dot warnings").isEmpty();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void nodesEdgesAndOneClusterPerContext() {
        BlockState s = new BlockStateReader(Recording.load("device")).read().join();
        String dot = DotGraph.of(s, "vm \"1\"");
        assertThat(dot).contains("digraph \"vm \\\"1\\\"\" {", "rankdir=LR");
        assertThat(dot).contains("subgraph \"cluster_main-loop\"", "subgraph \"cluster_iothread1\"");
        assertThat(dot).contains("\"node:vd\" [shape=ellipse", "label=\"vd\\nqcow2\\nvd.qcow2\"",
                "tooltip=\"/tmp/bdrec/vd.qcow2\"");
        assertThat(dot).contains("\"backend:drive1\" [shape=box");
        assertThat(dot).contains("\"backend:drive1\" -> \"node:vd\" [label=\"root\"", "\"node:vd\" -> \"node:#block094\" [label=\"file\"");
        for (GraphNode n : s.nodes()) {
            assertThat(dot).contains(DotGraph.quote(n.key()) + " [");
        }
        assertThat(dot.lines().filter(l -> l.contains(" -> ")).count()).isEqualTo(s.edges().size());
    }

    @Test
    void graphvizAcceptsIt() throws Exception {
        assumeTrue(dotAvailable(), "Graphviz 'dot' is not installed (apt-get install graphviz): skipping the render check");
        for (String name : new String[] {"device", "chains"}) {
            BlockState s = new BlockStateReader(Recording.load(name)).read().join();
            Path file = Files.createTempFile("blockdeck-", ".dot");
            try {
                Files.writeString(file, DotGraph.of(s, name));
                String svg = svg(file);
                assertThat(svg).contains("<svg");
                for (GraphNode n : s.blockNodes()) {
                    // Graphviz writes '-' as a character reference in SVG text
                    assertThat(svg).contains(n.name().replace("&", "&amp;").replace("-", "&#45;"));
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void quoting() {
        assertThat(DotGraph.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
    }
}
