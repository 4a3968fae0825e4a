package dev.blockdeck.engine.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.RawQmpConnection;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.Transcripts;

/**
 * Socket-level behaviour, compared with QEMU: several monitors, event broadcast, one client at a time,
 * reconnecting. Each scenario is a function of the sockets that returns a transcript; it runs against
 * QEMU and the engine and the transcripts must be equal after normalisation.
 */
class MonitorSocketsDifferentialTest {
    private static final String CAPS = "{\"execute\": \"qmp_capabilities\"}\n";

    @FunctionalInterface
    interface Scenario {
        List<String> run(Path first, Path second, Path third) throws Exception;
    }

    private static void compare(Scenario scenario) throws Exception {
        Qemu.requireBinary();
        Path dir = ShortTempDir.create("bds");
        try {
            Path q2 = dir.resolve("q2.sock");
            Path q3 = dir.resolve("q3.sock");
            List<String> qemu;
            try (Qemu q = Qemu.start("-qmp", "unix:" + q2 + ",server=on,wait=off", "-qmp",
                    "unix:" + q3 + ",server=on,wait=off")) {
                qemu = scenario.run(q.socket(), q2, q3);
            }
            Path e2 = dir.resolve("e2.sock");
            Path e3 = dir.resolve("e3.sock");
            List<String> engine;
            try (EngineProcess e = EngineProcess.start("-qmp", "unix:" + e2 + ",server=on,wait=off", "-qmp",
                    "unix:" + e3 + ",server=on,wait=off")) {
                engine = scenario.run(e.socket(), e2, e3);
            }
            assertThat(Transcripts.normalize(engine)).containsExactlyElementsOf(Transcripts.normalize(qemu));
        } finally {
            ShortTempDir.delete(dir);
        }
    }

    @Test
    void eventsGoToEveryNegotiatedMonitorWithOneTimestamp() throws Exception {
        compare((a, b, c) -> {
            List<String> t = new ArrayList<>();
            try (RawQmpConnection ca = RawQmpConnection.open(a); RawQmpConnection cb = RawQmpConnection.open(b);
                 RawQmpConnection cc = RawQmpConnection.open(c)) {
                t.add("A " + ca.readLine(5000));
                t.add("B " + cb.readLine(5000));
                t.add("C " + cc.readLine(5000));
                ca.write(CAPS);
                t.add("A " + ca.readLine(5000));
                cb.write(CAPS);
                t.add("B " + cb.readLine(5000));
                ca.write("{\"execute\": \"stop\", \"id\": \"a\"}");
                String eventA = ca.readLine(5000);
                t.add("A " + eventA);
                t.add("A " + ca.readLine(5000));
                String eventB = cb.readLine(5000);
                t.add("B " + eventB);
                t.add("same timestamp on A and B: " + eventA.equals(eventB));
                t.add("C (not negotiated) got: " + cc.readUntilQuiet(300));
                cb.write("{\"execute\": \"cont\", \"id\": \"b\"}");
                t.add("B " + cb.readLine(5000));
                t.add("B " + cb.readLine(5000));
                t.add("A " + ca.readLine(5000));
            }
            return t;
        });
    }

    @Test
    void aSecondClientWaitsUntilTheFirstLeaves() throws Exception {
        compare((a, b, c) -> {
            List<String> t = new ArrayList<>();
            try (RawQmpConnection first = RawQmpConnection.open(a)) {
                t.add("first " + first.readLine(5000));
                try (RawQmpConnection second = RawQmpConnection.open(a)) {
                    second.write(CAPS);
                    t.add("second while first is connected: " + second.readUntilQuiet(300));
                    first.write(CAPS);
                    t.add("first " + first.readLine(5000));
                    first.close();
                    // now the second gets its greeting and its queued request is answered
                    t.add("second " + second.readLine(5000));
                    t.add("second " + second.readLine(5000));
                }
            }
            return t;
        });
    }

    @Test
    void reconnectStartsANewNegotiation() throws Exception {
        compare((a, b, c) -> {
            List<String> t = new ArrayList<>();
            try (RawQmpConnection s1 = RawQmpConnection.open(a)) {
                t.add(s1.readLine(5000));
                s1.write(CAPS + "{\"execute\": \"stop\"}\n");
                t.addAll(s1.readUntilQuiet(300));
            }
            try (RawQmpConnection s2 = RawQmpConnection.open(a)) {
                t.add(s2.readLine(5000));
                s2.write("{\"execute\": \"query-status\", \"id\": 1}\n" + CAPS
                        + "{\"execute\": \"query-status\", \"id\": 2}\n");
                t.addAll(s2.readUntilQuiet(300));
            }
            return t;
        });
    }
}
