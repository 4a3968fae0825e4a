package dev.blockdeck.engine.block;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.QmpScript;
import dev.blockdeck.testutil.Transcripts;

/**
 * Runs the same QMP script (or the same command line) against QEMU 7.2 and the engine and normalises what
 * legitimately differs between runs: generated node names ({@code #block} + counter + random digits, mapped to
 * {@code #block1}, {@code #block2}, ... in order of appearance, so a different order still shows), thread ids,
 * the program name in start-up errors, and the engine's downstream ({@code __dev.blockdeck_}) events, which the QMP
 * specification tells clients to ignore; and the wall-clock date of internal snapshots ({@code date-sec},
 * {@code date-nsec} of SnapshotInfo), which is when each run took them; and {@code actual-size} below 64 KiB (it is
 * shown in 64 KiB units): ext4 counts extent-tree blocks in a file's allocation, and how many a file needs depends
 * on when delayed allocation wrote its extents, which differs from run to run (QEMU against itself too) for images
 * with small clusters. Nothing else (scripts that take internal snapshots run with {@code -S}, so the virtual clock
 * they record is 0 in both).
 */
final class BlockDifferentialSupport {
    static final String CAPS = "{\"execute\": \"qmp_capabilities\"}";
    private static final Pattern AUTO_NAME = Pattern.compile("#block\\d+");
    private static final Pattern THREAD_ID = Pattern.compile("\"thread-id\": \\d+");
    private static final Pattern SNAPSHOT_DATE = Pattern.compile("\"date-(n?)sec\": \\d+");
    private static final Pattern ACTUAL_SIZE = Pattern.compile("\"actual-size\": (\\d+)");

    private BlockDifferentialSupport() {
    }

    static List<String> normalize(List<String> lines) {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (String l : Transcripts.normalize(lines)) {
            if (l.contains("\"event\": \"__dev.blockdeck_")) {
                continue; // downstream events (the transaction trace): QEMU has none, clients ignore unknown ones
            }
            Matcher m = AUTO_NAME.matcher(l);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String n = names.computeIfAbsent(m.group(), k -> "#block" + (names.size() + 1));
                m.appendReplacement(sb, Matcher.quoteReplacement(n));
            }
            m.appendTail(sb);
            String line = THREAD_ID.matcher(sb.toString()).replaceAll("\"thread-id\": T");
            line = SNAPSHOT_DATE.matcher(line).replaceAll("\"date-$1sec\": D");
            out.add(ACTUAL_SIZE.matcher(line).replaceAll(r -> "\"actual-size\": " + (Long.parseLong(r.group(1)) >> 16)
                    + "x64K"));
        }
        return out;
    }

    static List<String> substitute(List<String> script, Path dir) {
        return script.stream().map(s -> s.replace("$DIR", dir.toString())).toList();
    }

    static String[] substitute(String[] args, Path dir) {
        String[] out = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].replace("$DIR", dir.toString());
        }
        return out;
    }

    static List<String> qemu(String[] args, List<String> script) throws IOException {
        try (Qemu q = Qemu.start(args)) {
            return normalize(QmpScript.run(q.socket(), script));
        }
    }

    static List<String> engine(String[] args, List<String> script) throws Exception {
        try (EngineProcess e = EngineProcess.start(args)) {
            return normalize(QmpScript.run(e.socket(), script));
        }
    }

    /** QEMU's start-up error for {@code args} ("PROG: ..." lines), or "started" if it came up. */
    static String qemuStartError(String[] args) throws IOException, InterruptedException {
        return Qemu.startError(args);
    }

    /** The engine's start-up error for {@code args}, or "started". */
    static String engineStartError(String[] args) {
        try (EngineProcess e = EngineProcess.start(args)) {
            return "started";
        } catch (EngineStartException ex) {
            return ex.getMessage().strip().replace("blockdeck-engine: ", "PROG: ");
        }
    }
}
