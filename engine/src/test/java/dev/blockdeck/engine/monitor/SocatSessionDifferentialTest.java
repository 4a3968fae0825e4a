package dev.blockdeck.engine.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.Transcripts;

/** What a person sees with {@code socat - UNIX-CONNECT:<socket>}: the same session for QEMU and the engine. */
class SocatSessionDifferentialTest {
    private static final String SESSION = String.join("\n",
            "{\"execute\": \"query-status\"}",
            "{\"execute\": \"qmp_capabilities\"}",
            "{'execute': 'query-version', 'id': 'single-quoted'}",
            "{\"execute\": \"stop\"}{\"execute\": \"cont\"}",
            "{\"execute\": \"nope\", \"id\": 1}",
            "[1, 2]",
            "{\"execute\": \"query-status\",",
            " \"id\": \"split over lines\"}",
            "{\"execute\": \"quit\"}",
            "");

    private static Path socat() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, "socat");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> run(Path socat, Path socket) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(socat.toString(), "-t", "5", "-", "UNIX-CONNECT:" + socket)
                .redirectErrorStream(true).start();
        p.getOutputStream().write(SESSION.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("socat ends when the server quits").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).endsWith("\r\n");
        return Arrays.asList(out.split("\r\n"));
    }

    @Test
    void socatSeesTheSameSession() throws Exception {
        Qemu.requireBinary();
        Path socat = socat();
        Assumptions.assumeTrue(socat != null, "socat is not installed: test skipped (apt-get install socat)");
        List<String> qemu;
        try (Qemu q = Qemu.start()) {
            qemu = run(socat, q.socket());
        }
        List<String> engine;
        try (EngineProcess e = EngineProcess.start()) {
            engine = run(socat, e.socket());
            assertThat(e.engine().terminated()).succeedsWithin(java.time.Duration.ofSeconds(5)).isEqualTo(0);
        }
        assertThat(Transcripts.normalize(engine)).containsExactlyElementsOf(Transcripts.normalize(qemu));
    }
}
