package dev.blockdeck.engine.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.qmp.json.QmpJsonWriter;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * qemu-iotests 202 step by step (reference/iotests.md §1), its log equal to 202.out, on the engine and on QEMU
 * 7.2; then the same with 8 drives on one IOThread and 8 drives over 3 IOThreads plus the main loop. Every QMP
 * call has a 5 s watchdog that fails with a thread dump: the hang this test was written for cannot stall CI.
 */
class Iotest202Test {
    private Path dir;

    @BeforeEach
    void setUp() {
        QemuTools.require();
        dir = ShortTempDir.create("i202");
    }

    @AfterEach
    void tearDown() {
        ShortTempDir.delete(dir);
    }

    private static String expected(String name) throws Exception {
        try (InputStream in = Iotest202Test.class.getClassLoader().getResourceAsStream("iotests/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The test's steps for {@code drives} drives; drive i goes to IOThread {@code lane[i]} (-1 = stays in the main
     * loop). Returns the log the Python harness would print.
     */
    private List<String> run(Path socket, int drives, int iothreads, int[] lane) throws Exception {
        List<String> log = new ArrayList<>();
        try (WatchdogQmp vm = WatchdogQmp.connect(socket)) {
            log.add("Adding IOThread...");
            for (int t = 0; t < iothreads; t++) {
                log.add(line(vm.call("object-add", "{\"qom-type\": \"iothread\", \"id\": \"iothread" + t + "\"}")));
            }
            log.add("Adding blockdevs...");
            for (int d = 0; d < drives; d++) {
                log.add(line(vm.call("blockdev-add", "{\"driver\": \"qcow2\", \"node-name\": \"disk" + d
                        + "\", \"file\": {\"driver\": \"file\", \"filename\": \"" + img(d) + "\"}}")));
            }
            log.add("Setting iothread...");
            for (int d = 0; d < drives; d++) {
                if (lane[d] >= 0) {
                    log.add(line(vm.call("x-blockdev-set-iothread", "{\"node-name\": \"disk" + d
                            + "\", \"iothread\": \"iothread" + lane[d] + "\"}")));
                }
            }
            log.add("Creating external snapshots...");
            StringBuilder actions = new StringBuilder();
            for (int d = 0; d < drives; d++) {
                actions.append(d == 0 ? "" : ", ").append("{\"type\": \"blockdev-snapshot-sync\", \"data\": {")
                        .append("\"node-name\": \"disk").append(d).append("\", \"snapshot-file\": \"")
                        .append(dir.resolve("disk" + d + "-snap.img")).append("\", \"snapshot-node-name\": \"disk")
                        .append(d).append("-snap\", \"mode\": \"absolute-paths\", \"format\": \"qcow2\"}}");
            }
            log.add(line(vm.call("transaction", "{\"actions\": [" + actions + "]}")));
            JsonNode nodes = vm.ok("query-named-block-nodes", null);
            for (JsonNode n : nodes) {
                String name = n.get("node-name").textValue();
                assertThat(name).as("overlays without parents are freed in clean").doesNotEndWith("-snap");
                if (name.startsWith("disk")) {
                    assertThat(n.get("ro").booleanValue()).as(name + " read-only after the snapshot").isTrue();
                }
            }
        }
        for (int d = 0; d < drives; d++) {
            String info = QemuTools.ok(dir, "qemu-img", "info", "--output=json",
                    dir.resolve("disk" + d + "-snap.img").toString()).out();
            assertThat(info).contains("\"backing-filename\": \"" + img(d) + "\"")
                    .contains("\"backing-filename-format\": \"qcow2\"");
            assertThat(QemuTools.run(dir, "qemu-img", "check", img(d).toString()).exit()).isZero();
        }
        return log;
    }

    private static String line(JsonNode answer) {
        return QmpJsonWriter.write(answer);
    }

    private Path img(int d) {
        return dir.resolve("disk" + d + ".img");
    }

    private void images(int drives) throws Exception {
        for (int d = 0; d < drives; d++) {
            QemuTools.ok(dir, "qemu-img", "create", "-f", "qcow2", img(d).toString(), "10M");
        }
    }

    private List<String> onEngine(int drives, int iothreads, int[] lane) throws Exception {
        images(drives);
        try (EngineProcess e = EngineProcess.start()) {
            List<String> log = new ArrayList<>(List.of("Launching VM..."));
            log.addAll(run(e.socket(), drives, iothreads, lane));
            return log;
        }
    }

    @Test
    void engineLogEquals202Out() throws Exception {
        assertThat(String.join("\n", onEngine(2, 1, new int[] {0, 0})) + "\n").isEqualTo(expected("202.out"));
    }

    @Test
    void qemuLogEquals202Out() throws Exception {
        Qemu.requireBinary();
        images(2);
        try (Qemu q = Qemu.start()) {
            List<String> log = new ArrayList<>(List.of("Launching VM..."));
            log.addAll(run(q.socket(), 2, 1, new int[] {0, 0}));
            assertThat(String.join("\n", log) + "\n").isEqualTo(expected("202.out"));
        }
    }

    @Test
    void eightDrivesOnOneIothread() throws Exception {
        List<String> log = onEngine(8, 1, new int[] {0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(log).containsExactlyElementsOf(expectedLog(8, 1, 8));
    }

    @Test
    void eightDrivesOverThreeIothreadsAndTheMainLoop() throws Exception {
        int[] lane = {-1, 0, 1, 2, -1, 0, 1, 2};
        List<String> log = onEngine(8, 3, lane);
        assertThat(log).containsExactlyElementsOf(expectedLog(8, 3, 6));
    }

    private static List<String> expectedLog(int drives, int iothreads, int moved) {
        List<String> l = new ArrayList<>(List.of("Launching VM...", "Adding IOThread..."));
        for (int i = 0; i < iothreads; i++) {
            l.add("{\"return\": {}}");
        }
        l.add("Adding blockdevs...");
        for (int i = 0; i < drives; i++) {
            l.add("{\"return\": {}}");
        }
        l.add("Setting iothread...");
        for (int i = 0; i < moved; i++) {
            l.add("{\"return\": {}}");
        }
        l.add("Creating external snapshots...");
        l.add("{\"return\": {}}");
        return l;
    }
}
