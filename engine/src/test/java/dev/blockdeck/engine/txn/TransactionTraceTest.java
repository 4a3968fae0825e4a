package dev.blockdeck.engine.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.qmp.QmpEvent;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.WatchdogQmp;

/** The downstream phase trace: one event per transaction, phases in the order the algorithm runs them. */
class TransactionTraceTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        QemuTools.require();
        dir = ShortTempDir.create("ttr");
        for (String n : List.of("a", "b")) {
            QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", n + ".qcow2", "1M");
        }
    }

    @AfterEach
    void tearDown() {
        ShortTempDir.delete(dir);
    }

    private static List<String> phases(JsonNode action) {
        List<String> l = new ArrayList<>();
        long last = -1;
        for (JsonNode p : action.get("phases")) {
            assertThat(p.get("start-ns").asLong()).isGreaterThanOrEqualTo(last);
            assertThat(p.get("end-ns").asLong()).isGreaterThanOrEqualTo(p.get("start-ns").asLong());
            last = p.get("end-ns").asLong();
            l.add(p.get("phase").textValue());
        }
        return l;
    }

    @Test
    void committedAndAbortedTransactionsAreTraced() throws Exception {
        try (EngineProcess e = EngineProcess.start("-object", "iothread,id=io0");
             WatchdogQmp qmp = WatchdogQmp.connect(e.socket())) {
            LinkedBlockingQueue<QmpEvent> events = new LinkedBlockingQueue<>();
            qmp.client().addEventListener(ev -> {
                if (ev.name().equals(TransactionCommands.TRACE_EVENT)) {
                    events.add(ev);
                }
            });
            for (String n : List.of("a", "b")) {
                qmp.ok("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"" + n + "\",\"file\":{\"driver\":"
                        + "\"file\",\"filename\":\"" + dir.resolve(n + ".qcow2") + "\"}}");
                qmp.ok("x-blockdev-set-iothread", "{\"node-name\":\"" + n + "\",\"iothread\":\"io0\"}");
            }
            qmp.ok("transaction", "{\"actions\":[" + snap("a") + "," + snap("b") + "]}");
            JsonNode ok = events.poll(5, TimeUnit.SECONDS).data();
            assertThat(ok.get("outcome").textValue()).isEqualTo("committed");
            assertThat(ok.get("actions")).hasSize(2);
            JsonNode first = ok.get("actions").get(0);
            assertThat(phases(first)).containsExactly("prepare", "commit", "clean");
            assertThat(first.get("type").textValue()).isEqualTo("blockdev-snapshot-sync");
            long commitStart = first.get("phases").get(1).get("start-ns").asLong();
            long secondPrepareEnd = ok.get("actions").get(1).get("phases").get(0).get("end-ns").asLong();
            assertThat(commitStart).as("all prepares before any commit").isGreaterThanOrEqualTo(secondPrepareEnd);
            for (JsonNode d : first.get("drained")) {
                assertThat(d.get("start-ns").asLong()).as("drained from prepare")
                        .isLessThanOrEqualTo(first.get("phases").get(0).get("end-ns").asLong());
                assertThat(d.get("end-ns").asLong()).as("until clean")
                        .isGreaterThanOrEqualTo(first.get("phases").get(2).get("start-ns").asLong());
            }

            assertThat(qmp.call("transaction", "{\"actions\":[" + snap("a") + ",{\"type\":\"abort\",\"data\":{}}]}")
                    .has("error")).isTrue();
            JsonNode bad = events.poll(5, TimeUnit.SECONDS).data();
            assertThat(bad.get("outcome").textValue()).isEqualTo("aborted");
            assertThat(bad.get("error").textValue()).isEqualTo("Transaction aborted using Abort action");
            assertThat(phases(bad.get("actions").get(0))).containsExactly("prepare", "abort", "clean");
            assertThat(phases(bad.get("actions").get(1))).containsExactly("prepare", "abort", "clean");
            long abortOfSecond = bad.get("actions").get(1).get("phases").get(1).get("start-ns").asLong();
            long abortOfFirst = bad.get("actions").get(0).get("phases").get(1).get("start-ns").asLong();
            assertThat(abortOfSecond).as("aborts run in reverse").isLessThan(abortOfFirst);
        }
    }

    private String snap(String n) {
        return "{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"node-name\":\"" + n + "\",\"snapshot-file\":\""
                + dir.resolve(n + "-" + System.nanoTime() + ".qcow2") + "\",\"snapshot-node-name\":\"" + n
                + System.nanoTime() + "\"}}";
    }
}
