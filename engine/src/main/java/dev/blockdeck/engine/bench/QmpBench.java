package dev.blockdeck.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.qmp.client.QmpClient;

/**
 * {@code java -jar blockdeck-engine.jar bench qmp [--qemu PATH] [--rounds N]}: query-version round trips
 * against the engine and against QEMU 7.2 in the same run, sequential and with 64 in flight, through the
 * same client; prints the medians and the engine/QEMU ratio. A benchmark, not a test: the machine is noisy.
 */
public final class QmpBench {
    private static final int IN_FLIGHT = 64;

    private QmpBench() {
    }

    public static void main(String[] args) throws Exception {
        String qemu = "qemu-system-x86_64";
        int rounds = 5000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--qemu" -> qemu = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "qmp" -> { }
                default -> throw new IllegalArgumentException("unknown bench argument " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bdb",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Result engine;
            try (Engine e = Engine.start(List.of("-M", "none", "-qmp", "unix:" + dir.resolve("e.sock") + ",server=on,wait=off"))) {
                engine = measure(dir.resolve("e.sock"), rounds);
            }
            Result q = null;
            Process p = null;
            try {
                p = new ProcessBuilder(qemu, "-M", "none", "-nodefaults", "-display", "none", "-qmp",
                        "unix:" + dir.resolve("q.sock") + ",server=on,wait=off").redirectErrorStream(true)
                        .redirectOutput(dir.resolve("qemu.log").toFile()).start();
                waitFor(dir.resolve("q.sock"), p);
                q = measure(dir.resolve("q.sock"), rounds);
            } catch (IOException ex) {
                System.out.println("QEMU not measured (" + ex.getMessage() + ")");
            } finally {
                if (p != null) {
                    p.destroy();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
            print(engine, q);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    record Result(LatencyStats sequential, LatencyStats pipelined, double pipelinedPerSecond, double parseMBps) {
    }

    /** Time to answer one command carrying a 4 MiB string: how fast the server's JSON parser runs. */
    private static double parseThroughput(QmpClient c) throws Exception {
        int size = 4 << 20;
        String big = "x".repeat(size);
        var args = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("unexpected", big);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try {
                c.execute("query-status", args).get();
            } catch (java.util.concurrent.ExecutionException expected) {
                // "Parameter 'unexpected' is unexpected" is the answer we time
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return size / (best / 1e9) / (1 << 20);
    }

    private static Result measure(Path socket, int rounds) throws Exception {
        try (QmpClient c = QmpClient.connect(socket).get(10, TimeUnit.SECONDS)) {
            c.negotiate().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < Math.min(2000, rounds); i++) { // warm-up: JIT, caches
                c.execute("query-version").get();
            }
            long[] seq = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                c.execute("query-version").get();
                seq[i] = System.nanoTime() - t0;
            }
            int batches = Math.max(1, rounds / IN_FLIGHT);
            long[] pipe = new long[batches * IN_FLIGHT];
            long start = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                List<CompletableFuture<JsonNode>> fs = new ArrayList<>(IN_FLIGHT);
                long[] sent = new long[IN_FLIGHT];
                for (int i = 0; i < IN_FLIGHT; i++) {
                    sent[i] = System.nanoTime();
                    fs.add(c.execute("query-version"));
                }
                for (int i = 0; i < IN_FLIGHT; i++) {
                    fs.get(i).get();
                    pipe[b * IN_FLIGHT + i] = System.nanoTime() - sent[i];
                }
            }
            double perSecond = pipe.length / ((System.nanoTime() - start) / 1e9);
            return new Result(LatencyStats.of(seq), LatencyStats.of(pipe), perSecond, parseThroughput(c));
        }
    }

    static void waitFor(Path socket, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("QEMU did not start");
            }
            Thread.sleep(10);
        }
    }

    private static void print(Result e, Result q) {
        System.out.println("query-version round trips (median / p99, microseconds)");
        System.out.printf("%-22s %14s %14s %16s %12s%n", "", "sequential", "64 in flight", "64-flight ops/s",
                "parse MB/s");
        row("engine", e);
        if (q != null) {
            row("QEMU 7.2", q);
            System.out.printf("ratio engine/QEMU (median): sequential %.2fx, 64 in flight %.2fx (goal <= 0.5x)%n",
                    e.sequential().medianUs() / q.sequential().medianUs(),
                    e.pipelined().medianUs() / q.pipelined().medianUs());
            System.out.printf("JSON parsing (a 4 MiB request): engine %.1fx QEMU's throughput%n",
                    e.parseMBps() / q.parseMBps());
        }
    }

    private static void row(String name, Result r) {
        System.out.printf("%-22s %6.1f / %6.1f %6.0f / %6.0f %16.0f %12.1f%n", name, r.sequential().medianUs(),
                r.sequential().percentileUs(99), r.pipelined().medianUs(), r.pipelined().percentileUs(99),
                r.pipelinedPerSecond(), r.parseMBps());
    }
}
