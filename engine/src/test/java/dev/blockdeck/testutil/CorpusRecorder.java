package dev.blockdeck.testutil;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the hostile corpus from real QEMU: runs every case (or the cases named on the command line) with
 * {@link CorpusRunner} against one fresh {@code qemu-system-x86_64}, one connection per case, and rewrites the
 * corpus file's {@code <} lines with what QEMU sent.
 *
 * <p>Run from the engine module after {@code mvn test-compile}:
 * {@code java -cp target/test-classes:target/classes:<deps> dev.blockdeck.testutil.CorpusRecorder [--file F] [case...]}
 */
public final class CorpusRecorder {
    private CorpusRecorder() {
    }

    public static void main(String[] args) throws Exception {
        Path file = HostileCorpus.SOURCE;
        List<String> only = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--file")) {
                file = Path.of(args[++i]);
            } else {
                only.add(args[i]);
            }
        }
        if (!Files.exists(file) && Files.exists(Path.of("engine").resolve(file))) {
            file = Path.of("engine").resolve(file);
        }
        if (Qemu.binary().isEmpty()) {
            System.err.println("qemu-system-x86_64 not found");
            System.exit(2);
        }
        HostileCorpus corpus = HostileCorpus.load(file);
        Map<String, List<String>> recorded = new LinkedHashMap<>();
        long start = System.currentTimeMillis();
        try (Qemu qemu = Qemu.start()) {
            for (HostileCorpus.Case c : corpus.cases()) {
                if (!only.isEmpty() && !only.contains(c.name())) {
                    continue;
                }
                long t0 = System.currentTimeMillis();
                List<String> lines = CorpusRunner.run(qemu.socket(), c);
                recorded.put(c.name(), lines);
                System.out.printf("%-45s %5d ms %5d lines%s%n", c.name(), System.currentTimeMillis() - t0,
                        lines.size(), lines.equals(c.expected()) ? "" : "  (changed)");
            }
        }
        Files.writeString(file, corpus.withExpected(recorded), StandardCharsets.UTF_8);
        System.out.printf("recorded %d cases in %d ms into %s%n", recorded.size(),
                System.currentTimeMillis() - start, file);
    }
}
