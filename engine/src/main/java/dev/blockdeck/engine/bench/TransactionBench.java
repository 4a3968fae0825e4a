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
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.qmp.client.QmpClient;

/**
 * {@code java -jar blockdeck-engine.jar bench txn [--qemu PATH] [--rounds N]}: one QMP transaction of N
 * blockdev-snapshot-sync actions (N = 2, 16, 64) over {@code -drive if=none} qcow2 drives in the main loop, all
 * in one IOThread, and spread over 4 IOThreads, timed on the engine and on QEMU 7.2 in the same run; prints the
 * medians and the engine/QEMU ratio. A benchmark, not a test.
 */
public final class TransactionBench {
    private static final int[] SIZES = {2, 16, 64};
    private static final String[] LAYOUTS = {"main loop", "1 IOThread", "4 IOThreads"};

    private TransactionBench() {
    }

    public static void main(String[] args) throws Exception {
        String qemu = "qemu-system-x86_64";
        int rounds = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--qemu" -> qemu = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "txn" -> { }
                default -> throw new IllegalArgumentException("unknown bench argument " + args[i]);
            }
        }
        System.out.println("transaction of N blockdev-snapshot-sync actions: median ms over " + rounds + " rounds");
        System.out.printf("%-12s %4s %12s %12s %8s%n", "layout", "N", "engine ms", "QEMU ms", "ratio");
        for (int layout = 0; layout < LAYOUTS.length; layout++) {
            for (int n : SIZES) {
                double e = run(null, n, layout, rounds);
                double q = Double.NaN;
                try {
                    q = run(qemu, n, layout, rounds);
                } catch (Exception ex) {
                    System.out.println("QEMU not measured: " + ex.getMessage());
                }
                System.out.printf("%-12s %4d %12.2f %12.2f %8.2f%n", LAYOUTS[layout], n, e, q, e / q);
            }
        }
    }

    /** Median time of one transaction, on the engine ({@code qemu} null) or on QEMU. */
    private static double run(String qemu, int n, int layout, int rounds) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bdt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Process p = null;
        Engine engine = null;
        PrintStream out = System.out;
        try {
            List<String> args = new ArrayList<>(List.of("-M", "none", "-nodefaults", "-display", "none", "-qmp",
                    "unix:" + dir.resolve("s.sock") + ",server=on,wait=off"));
            int threads = layout == 0 ? 0 : layout == 1 ? 1 : 4;
            for (int t = 0; t < threads; t++) {
                args.addAll(List.of("-object", "iothread,id=io" + t));
            }
            for (int d = 0; d < n; d++) {
                Path img = dir.resolve("d" + d + ".qcow2");
                Process c = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", img.toString(), "64M")
                        .inheritIO().start();
                c.waitFor();
                args.addAll(List.of("-drive", "if=none,id=drv" + d + ",format=qcow2,file=" + img));
            }
            if (qemu == null) {
                System.setOut(new PrintStream(OutputStream.nullOutputStream()));
                engine = Engine.start(args);
            } else {
                List<String> cmd = new ArrayList<>(List.of(qemu));
                cmd.addAll(args);
                p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("qemu.log").toFile()).start();
                QmpBench.waitFor(dir.resolve("s.sock"), p);
            }
            try (QmpClient c = connect(dir.resolve("s.sock"))) {
                for (int d = 0; d < n && threads > 0; d++) {
                    JsonNode blk = c.execute("query-block").get(30, TimeUnit.SECONDS);
                    String node = blk.get(d).get("inserted").get("node-name").textValue();
                    ObjectNode a = JsonNodeFactory.instance.objectNode().put("node-name", node)
                            .put("iothread", "io" + (d % threads)).put("force", true);
                    c.execute("x-blockdev-set-iothread", a).get(30, TimeUnit.SECONDS);
                }
                double[] ms = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ObjectNode args2 = JsonNodeFactory.instance.objectNode();
                    var actions = args2.putArray("actions");
                    for (int d = 0; d < n; d++) {
                        ObjectNode data = actions.addObject().put("type", "blockdev-snapshot-sync").putObject("data");
                        data.put("device", "drv" + d).put("snapshot-file", dir.resolve("s" + r + "-" + d + ".qcow2")
                                .toString());
                    }
                    long t0 = System.nanoTime();
                    c.execute("transaction", args2).get(120, TimeUnit.SECONDS);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                return ms[rounds / 2];
            }
        } finally {
            System.setOut(out);
            if (engine != null) {
                engine.close();
            }
            if (p != null) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static QmpClient connect(Path socket) throws Exception {
        Exception last = null;
        for (int i = 0; i < 100; i++) {
            try {
                QmpClient c = QmpClient.connect(socket).get(10, TimeUnit.SECONDS);
                c.negotiate().get(10, TimeUnit.SECONDS);
                return c;
            } catch (Exception e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw last;
    }
}
