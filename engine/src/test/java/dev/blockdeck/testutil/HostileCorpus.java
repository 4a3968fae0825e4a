package dev.blockdeck.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hostile-input corpus ({@code src/test/resources/qmp/hostile-corpus.txt}): QMP inputs and the lines real
 * QEMU 7.2 answered. The file's header comment describes the format; in short:
 * <pre>
 * ## case-name
 * phase: pre | negotiated | oob
 * &gt; input bytes with \xNN \r \n \t \\ escapes (lines concatenated, no newline added)
 * &gt;*N bytes repeated N times
 * &lt; one recorded response line
 * </pre>
 * Lines starting with a single {@code #} are comments.
 */
public final class HostileCorpus {
    /** The corpus as a class-path resource. */
    public static final String RESOURCE = "/qmp/hostile-corpus.txt";
    /** The corpus source file, relative to the engine module. */
    public static final Path SOURCE = Path.of("src", "test", "resources", "qmp", "hostile-corpus.txt");

    public enum Phase {
        /** Input sent right after the greeting, in capabilities negotiation mode. */
        PRE,
        /** After {@code {"execute":"qmp_capabilities"}}. */
        NEGOTIATED,
        /** After {@code {"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}}. */
        OOB;

        static Phase parse(String s) {
            return switch (s) {
                case "pre" -> PRE;
                case "negotiated" -> NEGOTIATED;
                case "oob" -> OOB;
                default -> throw new IllegalArgumentException("unknown phase: " + s);
            };
        }
    }

    /** One case: the input bytes and the response lines QEMU sent (probe answers included). */
    public record Case(String name, Phase phase, byte[] input, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final List<String> lines;
    private final List<Case> cases;

    private HostileCorpus(List<String> lines) {
        this.lines = lines;
        this.cases = parse(lines);
    }

    public static HostileCorpus load() {
        try (InputStream in = HostileCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HostileCorpus load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static HostileCorpus parse(String text) {
        return new HostileCorpus(List.of(text.split("\n", -1)));
    }

    public List<Case> cases() {
        return cases;
    }

    public Case get(String name) {
        return cases.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case " + name));
    }

    /**
     * The corpus text with every case's {@code <} lines replaced by {@code recorded.get(name)}
     * (cases not in the map keep theirs). Everything else is kept as it was.
     */
    public String withExpected(Map<String, List<String>> recorded) {
        StringBuilder out = new StringBuilder();
        List<String> block = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("## ")) {
                writeBlock(out, block, recorded);
                block.clear();
            }
            block.add(line);
        }
        writeBlock(out, block, recorded);
        String s = out.toString();
        while (s.endsWith("\n\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith("\n") ? s : s + "\n";
    }

    /** One case (or the preamble): its lines, the '<' lines replaced when recorded, blank lines kept at its end. */
    private static void writeBlock(StringBuilder out, List<String> block, Map<String, List<String>> recorded) {
        if (block.isEmpty()) {
            return;
        }
        String first = block.get(0);
        String name = first.startsWith("## ") ? first.substring(3).trim() : null;
        List<String> answers = name == null ? null : recorded.get(name);
        int end = block.size();
        while (end > 0 && block.get(end - 1).isEmpty()) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            String line = block.get(i);
            if (answers != null && (line.startsWith("< ") || line.equals("<"))) {
                continue;
            }
            out.append(line).append('\n');
        }
        if (answers != null) {
            for (String l : answers) {
                if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("response line with a line break in case " + name);
                }
                out.append("< ").append(l).append('\n');
            }
        }
        for (int i = end; i < block.size(); i++) {
            out.append('\n');
        }
    }

    private static List<Case> parse(List<String> lines) {
        List<Case> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String name = null;
        Phase phase = null;
        ByteArrayOutputStream input = null;
        List<String> expected = null;
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            try {
                if (line.startsWith("## ")) {
                    if (name != null) {
                        result.add(finish(name, phase, input, expected));
                    }
                    name = line.substring(3).trim();
                    if (!name.matches("[a-z0-9-]+")) {
                        throw new IllegalArgumentException("bad case name '" + name + "'");
                    }
                    if (!names.add(name)) {
                        throw new IllegalArgumentException("duplicate case name '" + name + "'");
                    }
                    phase = null;
                    input = new ByteArrayOutputStream();
                    expected = new ArrayList<>();
                } else if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                } else if (name == null) {
                    throw new IllegalArgumentException("content before the first case");
                } else if (line.startsWith("phase:")) {
                    phase = Phase.parse(line.substring(6).trim());
                } else if (line.startsWith(">*")) {
                    int space = line.indexOf(' ');
                    if (space < 0) {
                        throw new IllegalArgumentException("'>*N' needs a space before the bytes");
                    }
                    int times = Integer.parseInt(line.substring(2, space));
                    byte[] unit = unescape(line.substring(space + 1));
                    for (int k = 0; k < times; k++) {
                        input.write(unit);
                    }
                } else if (line.startsWith("> ") || line.equals(">")) {
                    input.write(unescape(line.length() > 2 ? line.substring(2) : ""));
                } else if (line.startsWith("< ") || line.equals("<")) {
                    expected.add(line.length() > 2 ? line.substring(2) : "");
                } else {
                    throw new IllegalArgumentException("unrecognised line");
                }
            } catch (RuntimeException | IOException e) {
                throw new IllegalArgumentException("hostile corpus line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (name != null) {
            result.add(finish(name, phase, input, expected));
        }
        return List.copyOf(result);
    }

    private static Case finish(String name, Phase phase, ByteArrayOutputStream input, List<String> expected) {
        if (phase == null) {
            throw new IllegalArgumentException("case " + name + " has no phase");
        }
        return new Case(name, phase, input.toByteArray(), List.copyOf(expected));
    }

    /** Decodes the escapes of a {@code >} line: {@code \xNN \r \n \t \\}; other characters stand for their UTF-8 bytes. */
    public static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '\\') {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new IllegalArgumentException("lone backslash at the end of a '>' line");
            }
            char e = s.charAt(i + 1);
            switch (e) {
                case 'x' -> {
                    if (i + 4 > s.length()) {
                        throw new IllegalArgumentException("truncated \\x escape");
                    }
                    out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                    i += 4;
                }
                case 'r' -> { out.write('\r'); i += 2; }
                case 'n' -> { out.write('\n'); i += 2; }
                case 't' -> { out.write('\t'); i += 2; }
                case '\\' -> { out.write('\\'); i += 2; }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " (write a backslash as \\\\)");
            }
        }
        return out.toByteArray();
    }

    /** Names to recorded lines, in corpus order. */
    public static Map<String, List<String>> byName(List<Case> cases) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Case c : cases) {
            m.put(c.name(), c.expected());
        }
        return m;
    }
}
