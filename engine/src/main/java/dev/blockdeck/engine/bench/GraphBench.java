package dev.blockdeck.engine.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.engine.cli.EngineMain;
import dev.blockdeck.qmp.client.QmpClient;

/**
 * {@code java -jar blockdeck-engine.jar bench graph [--qemu PATH] [--rounds N]}: (1) {@code query-named-block-nodes}
 * ({@code flat: true}) over 50 nodes on the engine and on QEMU 7.2 in the same run, medians and their ratio; (2) the
 * guest workload's IOPS on null-co drives spread over 1, 2 and 4 IOThreads, to show that IOThreads run in parallel.
 * A benchmark, not a test.
 */
public final class GraphBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphBench() {
    }

    public static void main(String[] args) throws Exception {
        String qemu = "qemu-system-x86_64";
        int rounds = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--qemu" -> qemu = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "graph" -> { }
                default -> throw new IllegalArgumentException("unknown bench argument " + args[i]);
            }
        }
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            nodes.addAll(List.of("-blockdev", "driver=null-co,node-name=p" + i + ",size=1073741824",
                    "-blockdev", "driver=raw,node-name=r" + i + ",file=p" + i));
        }
        double e = queryLatency(null, nodes, rounds);
        double q = Double.NaN;
        try {
            q = queryLatency(qemu, nodes, rounds);
        } catch (Exception ex) {
            System.out.println("QEMU not measured: " + ex.getMessage());
        }
        System.out.println("query-named-block-nodes (flat) over 50 nodes, median of " + rounds + " round trips after as many unmeasured,"
                + " each in its own process, timed at the byte level");
        System.out.printf("%-8s %10.1f us%n%-8s %10.1f us%n%-8s %10.2f x%n", "engine", e, "QEMU", q, "ratio", e / q);
        System.out.println();
        System.out.println("guest workload on 8 null-co drives, 4 KiB random writes, queue depth 8 per drive, 3 s");
        for (int threads : new int[] {1, 2, 4}) {
            System.out.printf("%d IOThread(s): %,12.0f IOPS%n", threads, iops(threads));
        }
    }

    private static Path tempDir() throws Exception {
        return Files.createTempDirectory(Path.of("/tmp"), "bdg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /**
     * Median microseconds of one query on the engine ({@code qemu} null) or on QEMU, each in a process of its own
     * and timed at the byte level ({@link RawQmpTimer}).
     */
    private static double queryLatency(String qemu, List<String> extra, int rounds) throws Exception {
        Path dir = tempDir();
        Process p = null;
        try {
            List<String> cmd = new ArrayList<>();
            if (qemu == null) {
                cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                        System.getProperty("java.class.path"), EngineMain.class.getName()));
            } else {
                cmd.add(qemu);
            }
            cmd.addAll(List.of("-M", "none", "-nodefaults", "-display", "none", "-qmp",
                    "unix:" + dir.resolve("s.sock") + ",server=on,wait=off"));
            cmd.addAll(extra);
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("q.log").toFile())
                    .start();
            QmpBench.waitFor(dir.resolve("s.sock"), p);
            try (RawQmpTimer t = connectRaw(dir.resolve("s.sock"))) {
                String query = "{\"execute\": \"query-named-block-nodes\", \"arguments\": {\"flat\": true}}\n";
                JsonNode first = JSON.readTree(t.answer(query)).path("return");
                if (first.size() != 50) {
                    throw new IllegalStateException("expected 50 nodes, got " + first.size());
                }
                return t.medianMicros(query, rounds);
            }
        } finally {
            if (p != null) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            delete(dir);
        }
    }

    private static RawQmpTimer connectRaw(Path socket) throws Exception {
        Exception last = null;
        for (int i = 0; i < 100; i++) {
            try {
                return RawQmpTimer.connect(socket);
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw last;
    }

    /** The workload's IOPS on 8 null-co drives spread round-robin over {@code threads} IOThreads. */
    private static double iops(int threads) throws Exception {
        Path dir = tempDir();
        PrintStream out = System.out;
        try {
            List<String> args = new ArrayList<>(List.of("-M", "none", "-qmp",
                    "unix:" + dir.resolve("s.sock") + ",server=on,wait=off"));
            for (int t = 0; t < threads; t++) {
                args.addAll(List.of("-object", "iothread,id=io" + t));
            }
            for (int d = 0; d < 8; d++) {
                args.addAll(List.of("-drive", "if=none,id=drv" + d + ",driver=null-co,size=1G,node-name=n" + d));
            }
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try (Engine e = Engine.start(args); QmpClient c = TransactionBench.connect(dir.resolve("s.sock"))) {
                StringBuilder drives = new StringBuilder();
                for (int d = 0; d < 8; d++) {
                    c.execute("x-blockdev-set-iothread", (ObjectNode) JSON.readTree("{\"node-name\":\"n" + d
                            + "\",\"iothread\":\"io" + (d % threads) + "\",\"force\":true}")).get(10, TimeUnit.SECONDS);
                    drives.append(d == 0 ? "" : ",").append("\"drv").append(d).append('"');
                }
                c.execute("__dev.blockdeck_guest-workload-start", (ObjectNode) JSON.readTree("{\"id\":\"w\",\"drives\":["
                        + drives + "],\"pattern\":\"random\",\"read-percent\":0,\"queue-depth\":8}"))
                        .get(10, TimeUnit.SECONDS);
                long t0 = System.nanoTime();
                Thread.sleep(3000);
                JsonNode fin = c.execute("__dev.blockdeck_guest-workload-stop",
                        (ObjectNode) JSON.readTree("{\"id\":\"w\"}")).get(30, TimeUnit.SECONDS);
                return fin.get("ops").asLong() / ((System.nanoTime() - t0) / 1e9);
            }
        } finally {
            System.setOut(out);
            delete(dir);
        }
    }
}
