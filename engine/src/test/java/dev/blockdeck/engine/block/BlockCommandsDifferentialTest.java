package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.ResourceLines;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * The block commands against QEMU 7.2: each script in {@code resources/block/differential} runs on a fresh QEMU
 * and a fresh engine started with the script's {@code # args:} line, on the same image files (created with
 * {@code qemu-img create -f raw}); the transcripts must be equal after normalising generated node names and
 * thread ids. Start-up errors of {@code -blockdev}/{@code -drive} lines are compared the same way.
 */
class BlockCommandsDifferentialTest {
    private static final String RESOURCES = "block/differential/";

    private Path dir;

    @BeforeEach
    void images() throws Exception {
        Qemu.requireBinary();
        dir = ShortTempDir.create("bdb");
        createImages();
    }

    private void createImages() throws Exception {
        img("a.img", "1M");
        img("b.img", "1M");
        img("c.img", "2M");
        Files.createDirectory(dir.resolve("sub"));
        qemuImg("create", "-f", "qcow2", dir.resolve("base.qcow2").toString(), "4M");
        qemuImg("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", dir.resolve("mid.qcow2").toString());
        qemuImg("create", "-f", "qcow2", "-b", dir.resolve("mid.qcow2").toString(), "-F", "qcow2",
                dir.resolve("top.qcow2").toString());
        qemuImg("create", "-f", "qcow2", "-u", "-b", dir.resolve("missing.qcow2").toString(), "-F", "qcow2",
                dir.resolve("orphan.qcow2").toString(), "4M");
        qemuImg("create", "-f", "qcow2", "-o", "compat=0.10", dir.resolve("v2.qcow2").toString(), "1M");
        for (String n : List.of("d0", "d1", "d2", "ov")) {
            qemuImg("create", "-f", "qcow2", dir.resolve(n + ".qcow2").toString(), "10M");
        }
        badImage("bad-cluster.qcow2", 20, 8, 4);
        badImage("bad-version.qcow2", 4, 4, 4);
        badImage("bad-crypt.qcow2", 32, 1, 4);
        badImage("bad-refcount.qcow2", 96, 7, 4);
        badImage("bad-size.qcow2", 24, 1L << 40, 8);
        badImage("bad-feature.qcow2", 72, 1L << 63, 8);
        badImage("bad-header.qcow2", 100, 16, 4);
        badImage("bad-l1.qcow2", 40, 0x10001, 8);
        // internal snapshots: guest data, 1-bit refcounts (no cluster can be shared), snapshots qemu-img took
        qemuImg("create", "-f", "qcow2", "-o", "cluster_size=4096", dir.resolve("data.qcow2").toString(), "4M");
        qemuIo("data.qcow2", "write -P 1 0 100k", "write -P 2 1M 64k", "write -z 2M 8k");
        qemuImg("create", "-f", "qcow2", "-o", "refcount_bits=1", dir.resolve("r1.qcow2").toString(), "4M");
        qemuIo("r1.qcow2", "write -P 3 0 64k");
        qemuImg("create", "-f", "qcow2", dir.resolve("snaps.qcow2").toString(), "4M");
        qemuIo("snaps.qcow2", "write -P 4 0 64k");
        qemuImg("snapshot", "-c", "made-by-qemu-img", dir.resolve("snaps.qcow2").toString());
        qemuIo("snaps.qcow2", "write -P 5 0 4k");
        qemuImg("snapshot", "-c", "second", dir.resolve("snaps.qcow2").toString());
        qemuImg("create", "-f", "qcow2", dir.resolve("rosnap.qcow2").toString(), "1M");
        qemuImg("snapshot", "-c", "kept", dir.resolve("rosnap.qcow2").toString());
        copyFixtures();
    }

    private void qemuIo(String image, String... cmds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-io"));
        for (String c : cmds) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(dir.resolve(image).toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** A fresh 1 MiB qcow2 with one big-endian header field overwritten. */
    private void badImage(String name, int offset, long value, int bytes) throws Exception {
        qemuImg("create", "-f", "qcow2", dir.resolve(name).toString(), "1M");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(name),
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(bytes);
            if (bytes == 8) {
                b.putLong(0, value);
            } else {
                b.putInt(0, (int) value);
            }
            ch.write(b, offset);
        }
    }

    private void qemuImg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-img"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private void freshImages() throws Exception {
        ShortTempDir.delete(dir);
        Files.createDirectories(dir);
        createImages();
    }


    /** Files scripts name as {@code $DIR/NAME} (blkdebug config files), from {@code differential/fixtures}. */
    private void copyFixtures() throws IOException, URISyntaxException {
        URL url = getClass().getClassLoader().getResource(RESOURCES + "fixtures");
        if (url == null) {
            return;
        }
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
    }

    @AfterEach
    void cleanup() {
        ShortTempDir.delete(dir);
    }

    private void img(String name, String size) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("qemu-img", "create", "-f", "raw", dir.resolve(name).toString(), size)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    static Stream<Arguments> scripts() throws IOException, URISyntaxException {
        URL url = BlockCommandsDifferentialTest.class.getClassLoader().getResource(RESOURCES);
        Path root = Path.of(url.toURI());
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.sorted().toList()) {
                if (p.toString().endsWith(".qmp")) {
                    out.add(Arguments.of(p.getFileName().toString().replace(".qmp", ""), p));
                }
            }
        }
        return out.stream();
    }

    private record Script(String[] args, List<String> requests) {
    }

    private static Script read(Path p) {
        List<String> lines;
        try {
            lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] args = new String[0];
        List<String> req = new ArrayList<>(List.of(BlockDifferentialSupport.CAPS));
        for (String l : lines) {
            if (l.startsWith("# args:")) {
                String a = l.substring("# args:".length()).strip();
                args = a.isEmpty() ? new String[0] : a.split("\\s+");
            } else if (!l.isBlank() && !l.startsWith("#")) {
                req.add(l);
            }
        }
        return new Script(args, req);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void engineAnswersLikeQemu(String name, Path file) throws Exception {
        Script s = read(file);
        String[] args = BlockDifferentialSupport.substitute(s.args(), dir);
        List<String> script = BlockDifferentialSupport.substitute(s.requests(), dir);
        List<String> qemu = BlockDifferentialSupport.qemu(args, script);
        freshImages(); // QEMU's run changed them (snapshots, stored bitmaps): the engine starts from the same state
        List<String> engine = BlockDifferentialSupport.engine(args, script);
        assertThat(engine).containsExactlyElementsOf(qemu);
    }

    static Stream<Arguments> commandLines() throws IOException {
        return ResourceLines.of("block/startup-errors.txt").stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void startUpErrorsReadLikeQemus(String line) throws Exception {
        String[] args = BlockDifferentialSupport.substitute(line.split("\\s+"), dir);
        String qemu = BlockDifferentialSupport.qemuStartError(args);
        String engine = BlockDifferentialSupport.engineStartError(args);
        assertThat(engine).isEqualTo(qemu);
    }
}
