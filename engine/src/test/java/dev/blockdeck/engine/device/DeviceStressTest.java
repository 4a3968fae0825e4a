package dev.blockdeck.engine.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * Bounded stress: 4 IOThreads, 16 drives (8 null-co, 8 raw files), half of them behind virtio-blk-pci devices, a
 * verified workload on every drive, and 1000 random moves while they run: the live move for devices,
 * x-blockdev-set-iothread with force for bare drives. Every QMP call answers within 5 s (else the test fails with a
 * thread dump), no read fails verification, no request fails, and each drive's query-blockstats read and write
 * counts equal its workload's own.
 */
class DeviceStressTest {
    private static final int DRIVES = 16;
    private static final int MOVES = 1000;
    private static final String[] TARGETS = {"\"io0\"", "\"io1\"", "\"io2\"", "\"io3\"", "null"};

    private Path dir;

    @BeforeEach
    void files() throws Exception {
        dir = ShortTempDir.create("bds");
        for (int i = 0; i < DRIVES / 2; i++) {
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve("f" + i + ".img").toFile(), "rw")) {
                f.setLength(8 << 20);
            }
        }
    }

    @AfterEach
    void cleanup() {
        ShortTempDir.delete(dir);
    }

    /** Drive i: null-co for even i, a file for odd i; a device on every other pair. */
    private static boolean isFile(int i) {
        return i % 2 == 1;
    }

    private static boolean hasDevice(int i) {
        return (i / 2) % 2 == 0;
    }

    /** The name a workload uses: the device id, or the drive's. */
    private static String target(int i) {
        return hasDevice(i) ? "vd" + i : "d" + i;
    }

    @Test
    void thousandMovesUnderLoadLoseNothing() throws Exception {
        List<String> args = new ArrayList<>(List.of("-M", "q35"));
        for (int t = 0; t < 4; t++) {
            args.addAll(List.of("-object", "iothread,id=io" + t));
        }
        for (int i = 0; i < DRIVES; i++) {
            String common = "if=none,id=d" + i + ",node-name=n" + i;
            args.addAll(List.of("-drive", isFile(i)
                    ? common + ",format=raw,file=" + dir.resolve("f" + (i / 2) + ".img")
                    : common + ",driver=null-co,size=67108864"));
            if (hasDevice(i)) {
                args.addAll(List.of("-device", "virtio-blk-pci,drive=d" + i + ",id=vd" + i + ",iothread=io" + (i % 4)));
            }
        }
        SplittableRandom rnd = new SplittableRandom(20240607);
        try (EngineProcess e = EngineProcess.start(args.toArray(String[]::new));
             WatchdogQmp q = WatchdogQmp.connect(e.socket())) {
            for (int i = 0; i < DRIVES; i++) {
                // null-co keeps nothing, so its workloads only write; files are read back and verified
                q.ok("__dev.blockdeck_guest-workload-start", "{\"id\": \"w" + i + "\", \"drives\": [\"" + target(i)
                        + "\"], \"pattern\": \"random\", \"queue-depth\": 2, \"rate\": 1500, \"read-percent\": "
                        + (isFile(i) ? 50 : 0) + "}");
            }
            for (int m = 0; m < MOVES; m++) {
                int i = rnd.nextInt(DRIVES);
                String to = TARGETS[rnd.nextInt(TARGETS.length)];
                if (hasDevice(i)) {
                    q.ok(DeviceCommands.SET_IOTHREAD, "{\"id\": \"vd" + i + "\", \"iothread\": " + to + "}");
                } else {
                    q.ok("x-blockdev-set-iothread", "{\"node-name\": \"n" + i + "\", \"iothread\": " + to
                            + ", \"force\": true}");
                }
                if (m % 100 == 0) {
                    assertThat(DeviceVmTest.contexts(q).get("n" + i)).isEqualTo(to.equals("null") ? "main"
                            : to.replace("\"", ""));
                    // the moves happen under load: the workloads keep going between them
                    DeviceVmTest.waitForOps(q, 200);
                }
            }
            Map<String, JsonNode> finals = new HashMap<>();
            for (int i = 0; i < DRIVES; i++) {
                JsonNode fin = q.ok("__dev.blockdeck_guest-workload-stop", "{\"id\": \"w" + i + "\"}");
                assertThat(fin.has("error")).as("drive %d: %s", i, fin).isFalse();
                assertThat(fin.get("verify-failures").asLong()).isZero();
                assertThat(fin.get("errors").asLong()).isZero();
                assertThat(fin.get("writes").asLong()).as("drive %d made progress", i).isPositive();
                if (isFile(i)) {
                    assertThat(fin.get("reads").asLong()).isPositive();
                }
                finals.put("d" + i, fin);
            }
            for (JsonNode s : q.ok("query-blockstats", null)) {
                JsonNode fin = finals.get(s.get("device").asText());
                assertThat(s.at("/stats/rd_operations").asLong()).as("%s reads", s.get("device"))
                        .isEqualTo(fin.get("reads").asLong());
                assertThat(s.at("/stats/wr_operations").asLong()).as("%s writes", s.get("device"))
                        .isEqualTo(fin.get("writes").asLong());
                assertThat(s.at("/stats/failed_rd_operations").asLong()).isZero();
                assertThat(s.at("/stats/failed_wr_operations").asLong()).isZero();
            }
        }
    }
}
