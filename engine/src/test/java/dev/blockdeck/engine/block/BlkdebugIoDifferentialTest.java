package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;

/**
 * blkdebug's rules against QEMU 7.2 doing the same I/O: each case of {@code resources/block/blkdebug/io-cases.txt}
 * runs through qemu-io on raw over blkdebug over a file, and through the engine's graph on the same tree; every
 * command's outcome (ok or the errno's text) and the image's bytes afterwards must be equal (unless the case
 * says QEMU leaves them unspecified).
 */
class BlkdebugIoDifferentialTest {
    private static final int IMAGE_SIZE = 64 * 1024;

    @TempDir
    Path dir;

    private record Case(String name, String options, List<String> commands) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        String text;
        try (InputStream in = BlkdebugIoDifferentialTest.class.getClassLoader()
                .getResourceAsStream("block/blkdebug/io-cases.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Arguments> out = new ArrayList<>();
        String name = null;
        String options = null;
        List<String> commands = new ArrayList<>();
        for (String line : (text + "\n## end").split("\n")) {
            if (line.startsWith("## ")) {
                if (name != null) {
                    out.add(Arguments.of(new Case(name, options, commands)));
                }
                name = line.substring(3).strip();
                options = null;
                commands = new ArrayList<>();
            } else if (line.isBlank() || line.startsWith("#")) {
                continue;
            } else if (options == null) {
                options = line.strip();
            } else {
                commands.add(line.strip());
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outcomesAndBytesMatchQemuIo(Case c) throws Exception {
        QemuTools.require();
        byte[] base = new byte[IMAGE_SIZE];
        for (int i = 0; i < base.length; i++) {
            base[i] = (byte) (i * 7 + i / 512);
        }
        Path qemuImg = dir.resolve("q.img");
        Path engineImg = dir.resolve("e.img");
        Files.write(qemuImg, base);
        Files.write(engineImg, base);
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("block/differential/fixtures/rules.conf")) {
            Files.write(dir.resolve("rules.conf"), in.readAllBytes());
        }
        String options = c.options().replace("$DIR", dir.toString());

        List<String> qemu = qemuIo(options, qemuImg, c.commands());
        List<String> engine = engine(options, engineImg, c.commands());
        assertThat(engine).as("outcomes").containsExactlyElementsOf(qemu);
        if (!c.name().endsWith("(bytes unspecified)")) {
            assertThat(Files.readAllBytes(engineImg)).as("image bytes").isEqualTo(Files.readAllBytes(qemuImg));
        }
    }

    private static String tree(String blkdebugOptions, Path img) {
        String inner = blkdebugOptions.substring(1, blkdebugOptions.length() - 1).strip();
        return "{\"driver\": \"raw\", \"file\": {\"driver\": \"blkdebug\", \"image\": {\"driver\": \"file\", "
                + "\"filename\": \"" + img + "\"}" + (inner.isEmpty() ? "" : ", " + inner) + "}}";
    }

    private List<String> qemuIo(String options, Path img, List<String> commands) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "--cache=writeback"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add("json:" + tree(options, img));
        QemuTools.Run r = QemuTools.run(dir, cmd.toArray(String[]::new));
        assertThat(r.err()).as("qemu-io stderr").isEmpty();
        List<String> results = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.contains(" failed: ")) {
                results.add(line.substring(line.indexOf(" failed: ") + 9).strip());
            } else if (line.matches("(read|wrote|discard) \\d+/\\d+ bytes at offset \\d+")) {
                results.add("ok");
            }
        }
        List<String> out = new ArrayList<>();
        int next = 0;
        for (String c : commands) {
            out.add(c.equals("flush") ? "-" : next < results.size() ? results.get(next++) : "<no output>");
        }
        return out;
    }

    private List<String> engine(String options, Path img, List<String> commands) throws Exception {
        List<String> out = new ArrayList<>();
        try (BlockRig rig = new BlockRig()) {
            String t = tree(options, img);
            rig.ok("blockdev-add", "{\"node-name\": \"top\", \"discard\": \"unmap\", " + t.substring(1));
            BlockBackend blk = rig.backend("top", BlockPerm.CONSISTENT_READ.bit() | BlockPerm.WRITE.bit(),
                    BlockPerm.ALL);
            for (String c : commands) {
                String o = outcome(issue(blk, c));
                out.add(c.equals("flush") ? "-" : o);
            }
        }
        return out;
    }

    private static CompletableFuture<Void> issue(BlockBackend blk, String command) {
        if (command.equals("flush")) {
            return blk.flush();
        }
        String[] w = command.split("\\s+");
        long off = Long.parseLong(w[w.length - 2]);
        int len = Integer.parseInt(w[w.length - 1]);
        return switch (w[0]) {
            case "read" -> blk.pread(off, ByteBuffer.allocate(len));
            case "discard" -> blk.pdiscard(off, len);
            case "write" -> {
                if (w[1].equals("-z")) {
                    yield blk.pwriteZeroes(off, len, 0);
                }
                byte fill = (byte) Integer.parseInt(w[2].substring(2), 16);
                ByteBuffer b = ByteBuffer.allocate(len);
                for (int i = 0; i < len; i++) {
                    b.put(i, fill);
                }
                yield blk.pwrite(off, b, 0);
            }
            default -> throw new IllegalArgumentException(command);
        };
    }

    private static String outcome(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            while (!(t instanceof BlockIOException) && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof BlockIOException b) {
                return b.errno().text();
            }
            throw e;
        }
    }
}
