package dev.blockdeck.engine.qom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.client.QmpClient;
import dev.blockdeck.testutil.EngineProcess;

/**
 * Each iothread is a real thread of the engine's process, distinct from the others and from the main
 * loop, named like QEMU's ("IO " + id); object-del and engine shutdown end it.
 */
class IothreadThreadsTest {
    private static final long TIMEOUT = 10;

    private static JsonNode run(QmpClient c, String command, ObjectNode args) throws Exception {
        return c.execute(command, args).get(TIMEOUT, TimeUnit.SECONDS);
    }

    private static ObjectNode iothread(String id) {
        return JsonNodeFactory.instance.objectNode().put("qom-type", "iothread").put("id", id);
    }

    private static Path task(long tid) {
        return Path.of("/proc/self/task/" + tid);
    }

    @Test
    void iothreadsAreDistinctLiveThreadsThatObjectDelEnds() throws Exception {
        try (EngineProcess e = EngineProcess.start("-object", "iothread,id=cli0");
             QmpClient c = QmpClient.connect(e.socket()).get(TIMEOUT, TimeUnit.SECONDS)) {
            c.negotiate().get(TIMEOUT, TimeUnit.SECONDS);
            for (String id : List.of("io1", "io2", "a-much-longer-iothread-name")) {
                run(c, "object-add", iothread(id));
            }
            JsonNode list = run(c, "query-iothreads", null);
            assertThat(list).hasSize(4);
            Set<Long> tids = new HashSet<>();
            long io1 = -1;
            for (JsonNode t : list) {
                long tid = t.get("thread-id").asLong();
                assertThat(tid).isPositive().isNotEqualTo(ProcessHandle.current().pid());
                assertThat(tids.add(tid)).as("distinct thread ids").isTrue();
                assertThat(task(tid)).isDirectory();
                // the kernel keeps 15 bytes of a thread name
                String name = "IO " + t.get("id").asText();
                assertThat(Files.readString(task(tid).resolve("comm")).strip())
                        .isEqualTo(name.substring(0, Math.min(15, name.length())));
                if (t.get("id").asText().equals("io1")) {
                    io1 = tid;
                }
            }
            assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                    .contains("IO io1", "IO io2", "IO cli0", "IO a-much-longer-iothread-name");

            run(c, "object-del", JsonNodeFactory.instance.objectNode().put("id", "io1"));
            awaitGone(io1, "after object-del");
            assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)).doesNotContain("IO io1");
            assertThat(run(c, "query-iothreads", null)).hasSize(3);
            tids.remove(io1);
            e.close();
            for (long tid : tids) {
                awaitGone(tid, "after engine close");
            }
        }
    }

    /**
     * The Java thread has ended when stop() returns; the kernel drops its task entry a moment later, so the check
     * polls (bounded) rather than racing it.
     */
    private static void awaitGone(long tid, String when) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(task(tid)) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(task(tid)).as("thread %d %s", tid, when).doesNotExist();
    }
}
