package dev.blockdeck.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * A read that does not find what the workload wrote is counted and raises the downstream event at once: the test
 * wipes the image under a running workload (behind the engine's back) and waits for the event.
 */
class GuestVerifyEventTest {
    @TempDir
    Path dir;

    @Test
    void aMismatchRaisesAnEventAndIsCounted() throws Exception {
        Path img = dir.resolve("d.raw");
        Files.write(img, new byte[4 << 20]);
        try (EngineProcess e = EngineProcess.start("-drive", "if=none,id=d0,format=raw,file=" + img);
             WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            CompletableFuture<JsonNode> event = new CompletableFuture<>();
            q.client().addEventListener(ev -> {
                if (ev.name().equals(GuestCommands.VERIFY_FAILED)) {
                    event.complete(ev.data());
                }
            });
            q.ok(GuestCommands.START, "{\"id\":\"w\",\"drives\":[\"d0\"],\"read-percent\":50,\"block-size\":4096}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (q.ok("__dev.blockdeck_query-guest-workloads", null).get(0).get("writes").asLong() < 200) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
            try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(4 << 20), 0); // every stamp gone
            }
            JsonNode ev = event.get(10, TimeUnit.SECONDS);
            assertThat(ev.get("id").textValue()).isEqualTo("w");
            assertThat(ev.get("drive").textValue()).isEqualTo("d0");
            assertThat(ev.get("block").asLong()).isNotNegative();
            assertThat(ev.get("reason").textValue()).isNotEmpty();
            JsonNode fin = q.ok("__dev.blockdeck_guest-workload-stop", "{\"id\":\"w\"}");
            assertThat(fin.get("verify-failures").asLong()).isPositive();
        }
    }
}
