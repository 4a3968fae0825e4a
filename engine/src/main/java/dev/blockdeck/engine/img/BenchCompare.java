package dev.blockdeck.engine.img;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code img bench-compare [dir] [count] [rounds] [only]}: runs {@code img bench} and {@code qemu-img bench} with
 * identical parameters on one fully allocated 1 GiB qcow2 image, {@code rounds} times each, interleaved, and prints
 * the median run times, their ratio (ours / QEMU's; below 1 means faster) and every run's times. Interleaving and
 * medians because a busy 2-core machine swings single runs by a factor of two. {@code only}: just the rows whose
 * "workload cache" text contains it. A benchmark, not a test.
 */
final class BenchCompare {
    private BenchCompare() {
    }

    private static final Pattern TIME = Pattern.compile("Run completed in ([0-9.]+) seconds");

    static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            Path dir = args.isEmpty() ? Files.createTempDirectory(Path.of("."), "bench") : Path.of(args.get(0));
            int count = args.size() > 1 ? Integer.parseInt(args.get(1)) : 75000;
            int rounds = args.size() > 2 ? Integer.parseInt(args.get(2)) : 3;
            String only = args.size() > 3 ? args.get(3) : "";
            Files.createDirectories(dir);
            Path img = dir.resolve("bench-1g.qcow2");
            if (!Files.exists(img)) {
                exec(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-o", "preallocation=full", img.toString(),
                        "1G"));
            }
            String[][] workloads = {
                {"4k step 1M+4k read", "-s", "4096", "-S", "1052672"},
                {"4k step 1M+4k write", "-w", "-s", "4096", "-S", "1052672"},
                {"64k seq read", "-s", "65536"},
                {"64k seq write", "-w", "-s", "65536"},
            };
            String[][] modes = {{"-t", "none", "-i", "native"}, {"-t", "writeback"}};
            out.printf("%-22s %-22s %10s %10s %8s%n", "workload", "cache", "img s", "qemu-img s", "ratio");
            for (String[] w : workloads) {
                for (String[] m : modes) {
                    if (!(w[0] + " " + String.join(" ", m)).contains(only)) {
                        continue;
                    }
                    List<String> common = new ArrayList<>(List.of("-f", "qcow2", "-c", String.valueOf(count), "-d",
                            "64"));
                    for (int i = 1; i < w.length; i++) {
                        common.add(w[i]);
                    }
                    common.addAll(List.of(m));
                    common.add(img.toString());
                    List<String> q = new ArrayList<>(List.of("qemu-img", "bench"));
                    q.addAll(common);
                    List<String> ours = new ArrayList<>(List.of("bench"));
                    ours.addAll(common);
                    double[] qemuTimes = new double[rounds];
                    double[] ourTimes = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        qemuTimes[r] = parse(exec(q));
                        ByteArrayOutputStream bo = new ByteArrayOutputStream();
                        PrintStream ps = new PrintStream(bo, true, StandardCharsets.UTF_8);
                        int rc = ImgMain.run(ours, ps, err);
                        if (rc != 0) {
                            err.println("img bench failed: " + rc);
                            return 1;
                        }
                        ourTimes[r] = parse(bo.toString(StandardCharsets.UTF_8));
                    }
                    double qemu = median(qemuTimes);
                    double mine = median(ourTimes);
                    out.printf("%-22s %-22s %10.3f %10.3f %8.2f   img %s qemu-img %s%n", w[0], String.join(" ", m),
                            mine, qemu, mine / qemu, java.util.Arrays.toString(ourTimes),
                            java.util.Arrays.toString(qemuTimes));
                }
            }
            return 0;
        } catch (IOException | InterruptedException e) {
            err.println("bench-compare: " + e);
            return 1;
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double parse(String s) throws IOException {
        Matcher m = TIME.matcher(s);
        if (!m.find()) {
            throw new IOException("no run time in: " + s);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + s);
        }
        return s;
    }
}
