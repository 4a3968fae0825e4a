package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.qmp.client.QmpClient;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * BLOCK_IMAGE_CORRUPTED: an image whose L1 entry points at an unaligned L2 table; the first guest write to it
 * makes QEMU 7.2 (through HMP qemu-io) and the engine (through a guest workload) emit the same event, and the image
 * is marked corrupt on disk afterwards in both cases (qemu-img check refuses to call it clean).
 */
class Qcow2CorruptionEventTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Qemu.requireBinary();
        dir = ShortTempDir.create("qce");
    }

    @AfterEach
    void tearDown() {
        ShortTempDir.delete(dir);
    }

    /** An image with data at 0 whose L1[0] then points 0x200 bytes past its L2 table. */
    private Path brokenImage(String name) throws Exception {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", name, "1M");
        QemuTools.ok(dir, "qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 64k", name);
        Path p = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.allocate(8);
            ch.read(h, 40);
            long l1 = h.getLong(0);
            ByteBuffer e = ByteBuffer.allocate(8);
            ch.read(e, l1);
            ch.write(ByteBuffer.allocate(8).putLong(0, e.getLong(0) + 0x200), l1);
        }
        return p;
    }

    @Test
    void engineAndQemuReportTheSameCorruption() throws Exception {
        Path q = brokenImage("q.qcow2");
        JsonNode qemuEvent;
        try (Qemu vm = Qemu.start("-drive", "if=none,id=drv0,format=qcow2,node-name=n0,file=" + q)) {
            QmpClient c = QmpClient.connect(vm.socket()).get(10, TimeUnit.SECONDS);
            c.negotiate().get(10, TimeUnit.SECONDS);
            CompletableFuture<JsonNode> ev = new CompletableFuture<>();
            c.addEventListener(e -> {
                if (e.name().equals("BLOCK_IMAGE_CORRUPTED")) {
                    ev.complete(e.data());
                }
            });
            c.execute("human-monitor-command", JsonNodeFactory.instance.objectNode()
                    .put("command-line", "qemu-io drv0 \"write -P 0x22 0 512\"")).get(10, TimeUnit.SECONDS);
            qemuEvent = ev.get(10, TimeUnit.SECONDS);
            c.close();
        }
        Path e = brokenImage("e.qcow2");
        JsonNode engineEvent;
        try (EngineProcess engine = EngineProcess.start("-drive", "if=none,id=drv0,format=qcow2,node-name=n0,file=" + e);
             WatchdogQmp qmp = WatchdogQmp.connect(engine.socket())) {
            CompletableFuture<JsonNode> ev = new CompletableFuture<>();
            qmp.client().addEventListener(x -> {
                if (x.name().equals("BLOCK_IMAGE_CORRUPTED")) {
                    ev.complete(x.data());
                }
            });
            qmp.ok("__dev.blockdeck_guest-workload-start", "{\"id\":\"w\",\"drives\":[\"drv0\"],\"block-size\":512,"
                    + "\"pattern\":\"sequential\",\"read-percent\":0,\"queue-depth\":1}");
            engineEvent = ev.get(10, TimeUnit.SECONDS);
            qmp.call("__dev.blockdeck_guest-workload-stop", "{\"id\":\"w\"}");
        }
        assertThat(engineEvent.toString()).isEqualTo(qemuEvent.toString());
        assertThat(qemuEvent.get("fatal").booleanValue()).isTrue();
        for (String img : new String[] {"q.qcow2", "e.qcow2"}) {
            String info = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "-U", img).out();
            assertThat(info).as(img).contains("\"corrupt\": true");
        }
        assertThat(Files.size(e)).isPositive();
    }
}
