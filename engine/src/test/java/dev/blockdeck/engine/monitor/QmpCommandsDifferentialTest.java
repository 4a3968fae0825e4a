package dev.blockdeck.engine.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.QmpScript;
import dev.blockdeck.testutil.Transcripts;

/**
 * The same QMP scripts against QEMU 7.2 and the engine, started with the same options: the
 * transcripts (greeting, answers, events, connection end) must be equal after normalisation.
 */
class QmpCommandsDifferentialTest {
    private static final String CAPS = "{\"execute\": \"qmp_capabilities\"}";

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("run-state", new String[0], List.of(CAPS,
                        "{\"execute\": \"query-version\", \"id\": 1}",
                        "{\"execute\": \"query-status\", \"id\": \"s1\"}",
                        "{\"execute\": \"stop\", \"id\": 2}",
                        "{\"execute\": \"stop\", \"id\": 3}",
                        "{\"execute\": \"query-status\"}",
                        "{\"execute\": \"cont\", \"id\": [4]}",
                        "{\"execute\": \"cont\", \"id\": {\"b\": 1, \"a\": 2}}",
                        "{\"execute\": \"query-status\", \"id\": null}")),
                Arguments.of("name", new String[] {"-name", "guest=demo vm,debug-threads=on"}, List.of(CAPS,
                        "{\"execute\": \"query-name\"}")),
                Arguments.of("no-name", new String[0], List.of(CAPS, "{\"execute\": \"query-name\"}")),
                Arguments.of("prelaunch", new String[] {"-S"}, List.of(CAPS,
                        "{\"execute\": \"query-status\"}",
                        "{\"execute\": \"stop\"}",
                        "{\"execute\": \"query-status\"}",
                        "{\"execute\": \"cont\"}",
                        "{\"execute\": \"query-status\"}")),
                Arguments.of("negotiation", new String[0], List.of(
                        "{\"execute\": \"query-status\", \"id\": 1}",
                        "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"bogus\"]}}",
                        "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": \"oob\"}}",
                        "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"foo\": 1}}",
                        "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [1]}}",
                        "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": []}, \"id\": 7}",
                        "{\"execute\": \"qmp_capabilities\", \"id\": 8}",
                        "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"x\"]}}",
                        "{\"execute\": \"nonexistent\", \"id\": 9}",
                        "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}}",
                        "{\"execute\": \"stop\", \"arguments\": {\"a\": 1, \"b\": 2}}")),
                Arguments.of("oob", new String[0], List.of(
                        "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}",
                        "{\"exec-oob\": \"query-status\", \"id\": 1}",
                        "{\"exec-oob\": \"nosuch\", \"id\": 2}",
                        "{\"exec-oob\": 5, \"id\": 3}",
                        "{\"execute\": \"query-status\", \"exec-oob\": \"query-status\", \"id\": 4}",
                        "{\"execute\": \"query-status\", \"id\": 5}")),
                Arguments.of("unexpected-argument-order", new String[0], unexpectedArguments()),
                Arguments.of("quit", new String[0], List.of(CAPS, "{\"execute\": \"quit\", \"id\": \"bye\"}")));
    }

    /**
     * Which of several unexpected arguments QEMU names depends on its hash tables; seeded random sets of
     * 1 to 30 argument names (the larger ones make QEMU's table grow) check that we pick the same.
     */
    private static List<String> unexpectedArguments() {
        java.util.Random r = new java.util.Random(202);
        List<String> script = new java.util.ArrayList<>(List.of(CAPS));
        String[] words = {"node-name", "driver", "file", "id", "iothread", "force", "size", "a", "b", "cache",
            "read-only", "discard", "x", "filename", "backing", "enable", "foo", "bar", "aio", "locking"};
        for (int n = 1; n <= 30; n++) {
            StringBuilder sb = new StringBuilder("{\"execute\": \"query-status\", \"arguments\": {");
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append('"').append(words[r.nextInt(words.length)]).append(i).append("\": ").append(i);
            }
            script.add(sb.append("}, \"id\": ").append(n).append('}').toString());
        }
        return script;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void engineAnswersLikeQemu(String name, String[] extraArgs, List<String> script) throws Exception {
        Qemu.requireBinary();
        List<String> qemu;
        try (Qemu q = Qemu.start(extraArgs)) {
            qemu = QmpScript.run(q.socket(), script);
        }
        List<String> engine;
        try (EngineProcess e = EngineProcess.start(extraArgs)) {
            engine = QmpScript.run(e.socket(), script);
        }
        assertThat(Transcripts.normalize(engine)).containsExactlyElementsOf(Transcripts.normalize(qemu));
    }
}
