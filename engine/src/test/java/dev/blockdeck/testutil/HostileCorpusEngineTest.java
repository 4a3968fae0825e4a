package dev.blockdeck.testutil;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.blockdeck.engine.EngineStartException;

/**
 * The engine answers every hostile input exactly as QEMU 7.2 answered it (the recording, which
 * HostileCorpusQemuTest keeps honest against the live binary), and the connection keeps working: each
 * transcript ends with the answer to the liveness probe. Runs without QEMU installed.
 */
class HostileCorpusEngineTest {
    private static EngineProcess engine;

    @TestFactory
    Stream<DynamicTest> engineAnswersLikeTheRecording() throws EngineStartException {
        engine = EngineProcess.start();
        return HostileCorpus.load().cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            List<String> actual = normalize(CorpusRunner.run(engine.socket(), c));
            HostileCorpusQemuTest.assertSameLines(c.name(), actual, normalize(c.expected()));
        }));
    }

    /** Besides the usual, query-commands' list: QEMU has 216 commands, the engine the ones it implements. */
    private static List<String> normalize(List<String> lines) {
        return Transcripts.normalize(lines).stream()
                .map(l -> COMMAND_LIST.matcher(l).replaceFirst("{\"return\": [COMMANDS], "))
                .toList();
    }

    private static final java.util.regex.Pattern COMMAND_LIST =
            java.util.regex.Pattern.compile("^\\{\"return\": \\[\\{\"name\": .*?\\}\\], ");

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }
}
