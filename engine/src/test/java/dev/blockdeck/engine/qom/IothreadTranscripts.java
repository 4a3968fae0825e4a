package dev.blockdeck.engine.qom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.blockdeck.testutil.Transcripts;

/**
 * Transcripts with iothreads: thread ids legitimately differ between QEMU and the engine, so they are
 * masked, after checking that each answer's ids are positive and distinct.
 */
final class IothreadTranscripts {
    private static final Pattern THREAD_ID = Pattern.compile("\"thread-id\": (-?\\d+)");

    private IothreadTranscripts() {
    }

    static List<String> normalize(List<String> transcript) {
        List<String> out = new ArrayList<>();
        for (String line : Transcripts.normalize(transcript)) {
            threadIds(line);
            out.add(THREAD_ID.matcher(line).replaceAll("\"thread-id\": TID"));
        }
        return out;
    }

    /** The thread ids in one line, checked positive and distinct. */
    static List<Long> threadIds(String line) {
        List<Long> ids = new ArrayList<>();
        Matcher m = THREAD_ID.matcher(line);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        assertThat(ids).as("thread ids in %s", line).allMatch(id -> id > 0).doesNotHaveDuplicates();
        return ids;
    }

    /** Asks a running engine for its iothreads and checks each thread id is a live thread of this process. */
    static void assertThreadIdsAreOwnThreads(Path socket) throws IOException {
        List<String> t = ScriptRuns.run(socket, List.of("{\"execute\": \"qmp_capabilities\"}",
                "{\"execute\": \"query-iothreads\"}"));
        for (long tid : threadIds(t.get(t.size() - 1))) {
            assertThat(Files.isDirectory(Path.of("/proc/self/task/" + tid))).as("engine thread %d", tid).isTrue();
        }
    }

    /**
     * Both transcripts normalized and equal; a difference is reported at its first line, with the request
     * that got it (transcripts are the greeting, then one answer per request).
     */
    static void assertSame(List<String> script, List<String> engine, List<String> qemu) {
        List<String> e = normalize(engine);
        List<String> q = normalize(qemu);
        for (int i = 0; i < Math.min(e.size(), q.size()); i++) {
            String request = i == 0 ? "(greeting)" : i - 1 < script.size() ? script.get(i - 1) : "?";
            assertThat(e.get(i)).as("answer %d, to %s", i, request).isEqualTo(q.get(i));
        }
        assertThat(e).hasSameSizeAs(q);
    }
}
