package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.RawQmpConnection;

/**
 * The virtual clock internal snapshots record, as QEMU's QEMU_CLOCK_VIRTUAL runs without a guest CPU: 0 while
 * the VM never ran ({@code -S}), advancing while it runs, frozen while it is stopped. The wall-clock date has
 * microsecond resolution, as g_get_real_time() gives.
 */
class InternalSnapshotClockTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode call(RawQmpConnection c, String json) throws Exception {
        c.write(json);
        while (true) {
            JsonNode n = JSON.readTree(c.readLine(10_000));
            if (!n.has("event")) {
                return n;
            }
        }
    }

    private static long clockNs(RawQmpConnection c, String name) throws Exception {
        JsonNode r = call(c, "{\"execute\": \"blockdev-snapshot-internal-sync\", \"arguments\": {\"device\": \"d\","
                + " \"name\": \"" + name + "\"}}");
        assertThat(r.has("return")).as(r.toString()).isTrue();
        JsonNode info = call(c, "{\"execute\": \"blockdev-snapshot-delete-internal-sync\", \"arguments\": {\"device\":"
                + " \"d\", \"name\": \"" + name + "\"}}").get("return");
        assertThat(info.get("date-nsec").asLong() % 1000).isZero();
        assertThat(info.get("date-sec").asLong()).isCloseTo(System.currentTimeMillis() / 1000, Offset.offset(5L));
        assertThat(info.get("vm-clock-nsec").asLong()).isBetween(0L, 999_999_999L);
        assertThat(info.has("icount")).isFalse();
        return info.get("vm-clock-sec").asLong() * 1_000_000_000L + info.get("vm-clock-nsec").asLong();
    }

    @Test
    void theVirtualClockRunsOnlyWhileTheVmRuns() throws Exception {
        Qemu.requireBinary();
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", dir.resolve("d.qcow2").toString(),
                "1M").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (EngineProcess e = EngineProcess.start("-S", "-drive",
                "if=none,id=d,file=" + dir.resolve("d.qcow2") + ",format=qcow2");
                RawQmpConnection c = RawQmpConnection.open(e.socket())) {
            c.readLine(10_000);
            call(c, "{\"execute\": \"qmp_capabilities\"}");
            assertThat(clockNs(c, "a")).as("never ran").isZero();
            Thread.sleep(50);
            assertThat(clockNs(c, "b")).as("still never ran").isZero();
            call(c, "{\"execute\": \"cont\"}");
            Thread.sleep(200);
            long running = clockNs(c, "c");
            assertThat(running).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            call(c, "{\"execute\": \"stop\"}");
            long stopped = clockNs(c, "d");
            Thread.sleep(200);
            assertThat(clockNs(c, "e")).as("frozen while stopped").isEqualTo(stopped).isGreaterThan(running);
            call(c, "{\"execute\": \"cont\"}");
            Thread.sleep(100);
            assertThat(clockNs(c, "f")).isGreaterThanOrEqualTo(stopped + TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
