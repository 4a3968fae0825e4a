package dev.blockdeck.engine.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.blockdeck.testutil.RawQmpConnection;
import dev.blockdeck.testutil.Transcripts;

/**
 * A device differential script: a {@code # args:} line (the command line after QEMU's and the engine's own
 * {@code -M none -nodefaults -display none -qmp ...}; a later {@code -M} wins), then one request per line, and
 * {@code @events N} lines that wait (up to 10 s) for N events: QEMU sends DEVICE_DELETED some milliseconds after it
 * answered device_del, so the transcript records them where they are awaited. {@code $DIR} is the image directory.
 */
record DeviceScript(String[] args, List<String> lines) {
    static final String CAPS = "{\"execute\": \"qmp_capabilities\"}";
    private static final Pattern AUTO_NAME = Pattern.compile("#block\\d+");
    private static final Pattern THREAD_ID = Pattern.compile("\"thread-id\": \\d+");

    static DeviceScript read(Path p, Path dir) {
        List<String> raw;
        try {
            raw = Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] args = new String[0];
        List<String> lines = new ArrayList<>(List.of(CAPS));
        for (String l : raw) {
            String s = l.replace("$DIR", dir.toString());
            if (s.startsWith("# args:")) {
                String a = s.substring("# args:".length()).strip();
                args = a.isEmpty() ? new String[0] : a.split("\\s+");
            } else if (!s.isBlank() && !s.startsWith("#")) {
                lines.add(s);
            }
        }
        return new DeviceScript(args, lines);
    }

    /** Runs the script on a fresh connection; returns every line received, normalised. */
    List<String> run(Path socket) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawQmpConnection c = RawQmpConnection.open(socket)) {
            out.add(c.readLine(10_000));
            for (String line : lines) {
                if (line.startsWith("@events ")) {
                    int n = Integer.parseInt(line.substring("@events ".length()).strip());
                    for (int i = 0; i < n; i++) {
                        String ev = c.readLine(10_000);
                        out.add(ev == null ? "<NO EVENT>" : ev);
                    }
                    continue;
                }
                c.write(line);
                while (true) {
                    String l = c.readLine(10_000);
                    if (l == null) {
                        out.add(c.isEof() ? "<EOF>" : "<TIMEOUT>");
                        return normalize(out);
                    }
                    out.add(l);
                    if (!l.startsWith("{\"timestamp\"")) {
                        break;
                    }
                }
            }
        }
        return normalize(out);
    }

    /** Timestamps, version details, generated node names (numbered by first appearance) and thread ids. */
    static List<String> normalize(List<String> lines) {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (String l : Transcripts.normalize(lines)) {
            Matcher m = AUTO_NAME.matcher(l);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, names.computeIfAbsent(m.group(), k -> "#block" + (names.size() + 1)));
            }
            m.appendTail(sb);
            out.add(THREAD_ID.matcher(sb.toString()).replaceAll("\"thread-id\": T"));
        }
        return out;
    }
}
