package dev.blockdeck.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recording of dirty bitmap contents QEMU produced ({@code resources/bitmap/recorded-hashes.txt}): cases of
 * QMP commands, qemu-io writes and expected counts and hashes. Both the QEMU re-check and the engine test read
 * it; the QEMU test can write it back with fresh expectations.
 */
public final class RecordedBitmapHashes {
    public static final String RESOURCE = "bitmap/recorded-hashes.txt";

    /** One line of a case. */
    public sealed interface Step permits Qmp, Io, Expect {
    }

    /** A QMP command ({@code $DIR} still in it) that must succeed. */
    public record Qmp(String json) implements Step {
    }

    /** A qemu-io command on a node: {@code write [-z] [-u] OFFSET LEN} or {@code discard OFFSET LEN}. */
    public record Io(String node, String command) implements Step {
        public boolean isDiscard() {
            return command.startsWith("discard ");
        }

        public boolean zeroes() {
            return List.of(command.split(" ")).contains("-z");
        }

        public boolean mayUnmap() {
            return List.of(command.split(" ")).contains("-u");
        }

        public long offset() {
            String[] w = command.split(" ");
            return Long.parseLong(w[w.length - 2]);
        }

        public long length() {
            String[] w = command.split(" ");
            return Long.parseLong(w[w.length - 1]);
        }
    }

    /** An expectation; {@code count} -1 and {@code sha256} null while not recorded yet. */
    public record Expect(String node, String bitmap, long count, String sha256) implements Step {
    }

    public record Case(String name, List<Step> steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final List<String> header = new ArrayList<>();
    private final List<Case> cases = new ArrayList<>();

    private RecordedBitmapHashes() {
    }

    public static RecordedBitmapHashes load() {
        try (InputStream in = RecordedBitmapHashes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RecordedBitmapHashes parse(String text) {
        RecordedBitmapHashes r = new RecordedBitmapHashes();
        Case cur = null;
        for (String line : text.split("\n")) {
            if (cur == null && line.startsWith("#")) {
                r.header.add(line);
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split(" ", 2);
            switch (w[0]) {
                case "case" -> {
                    cur = new Case(w[1].strip(), new ArrayList<>());
                    r.cases.add(cur);
                }
                case "qmp" -> cur.steps().add(new Qmp(w[1]));
                case "io" -> {
                    String[] io = w[1].split(" ", 2);
                    cur.steps().add(new Io(io[0], io[1]));
                }
                case "expect" -> {
                    String[] e = w[1].split(" ");
                    cur.steps().add(e.length >= 4 ? new Expect(e[0], e[1], Long.parseLong(e[2]), e[3])
                            : new Expect(e[0], e[1], -1, null));
                }
                default -> throw new IllegalArgumentException("bad line in " + RESOURCE + ": " + line);
            }
        }
        return r;
    }

    public List<Case> cases() {
        return List.copyOf(cases);
    }

    /** Writes the recording with the expectations replaced by {@code observed} (keyed case/node/bitmap). */
    public void write(Path out, Map<String, Expect> observed) throws IOException {
        StringBuilder sb = new StringBuilder();
        header.forEach(h -> sb.append(h).append('\n'));
        for (Case c : cases) {
            sb.append('\n').append("case ").append(c.name()).append('\n');
            for (Step s : c.steps()) {
                if (s instanceof Qmp q) {
                    sb.append("qmp ").append(q.json()).append('\n');
                } else if (s instanceof Io io) {
                    sb.append("io ").append(io.node()).append(' ').append(io.command()).append('\n');
                } else if (s instanceof Expect e) {
                    Expect o = observed.get(key(c, e));
                    sb.append("expect ").append(e.node()).append(' ').append(e.bitmap()).append(' ')
                            .append(o.count()).append(' ').append(o.sha256()).append('\n');
                }
            }
        }
        Files.writeString(out, sb.toString());
    }

    public static String key(Case c, Expect e) {
        return c.name() + "/" + e.node() + "/" + e.bitmap();
    }
}
