package dev.blockdeck.engine.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;

/** The img tool against qemu-img: create, info and check agree, including on images damaged on purpose. */
class ImgToolTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        QemuTools.require();
    }

    record Out(int exit, String out, String err) {
    }

    private Out img(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String cwd = System.getProperty("user.dir");
        // the tool takes paths as given: run it with absolute paths, and compare outputs with names made relative
        List<String> a = new ArrayList<>(Arrays.asList(args));
        int rc = ImgMain.run(a, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Out(rc, o.toString(StandardCharsets.UTF_8).replace(dir + "/", ""),
                e.toString(StandardCharsets.UTF_8).replace(dir + "/", ""));
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    static Stream<Arguments> createOptions() {
        return Stream.of(Arguments.of("", "16M"), Arguments.of("compat=0.10", "1M"),
                Arguments.of("cluster_size=4096,refcount_bits=8,lazy_refcounts=on", "100M"),
                Arguments.of("extended_l2=on,compression_type=zstd", "1G"),
                Arguments.of("preallocation=metadata,cluster_size=2M", "64M"));
    }

    @ParameterizedTest(name = "-o {0} {1}")
    @MethodSource("createOptions")
    void infoAgreesWithQemuImgOnWhatImgCreateMade(String opts, String size) throws IOException {
        List<String> args = new ArrayList<>(List.of("create", "-f", "qcow2"));
        if (!opts.isEmpty()) {
            args.addAll(List.of("-o", opts));
        }
        args.addAll(List.of(p("a.qcow2"), size));
        Out c = img(args.toArray(String[]::new));
        assertThat(c.exit()).as(c.err()).isZero();
        List<String> q = new ArrayList<>(List.of("qemu-img", "create", "-f", "qcow2"));
        if (!opts.isEmpty()) {
            q.addAll(List.of("-o", opts));
        }
        q.addAll(List.of("b.qcow2", size));
        QemuTools.Run qc = QemuTools.ok(dir, q.toArray(String[]::new));
        assertThat(c.out()).isEqualTo(qc.out().replace("b.qcow2", "a.qcow2"));
        assertThat(Files.readAllBytes(dir.resolve("a.qcow2"))).isEqualTo(Files.readAllBytes(dir.resolve("b.qcow2")));
        for (String output : new String[] {"human", "json"}) {
            QemuTools.Run qi = QemuTools.ok(dir, "qemu-img", "info", "--output=" + output, "a.qcow2");
            Out ours = img("info", "--output=" + output, p("a.qcow2"));
            assertThat(ours.exit()).isZero();
            assertThat(ours.out()).isEqualTo(qi.out());
        }
    }

    @Test
    void infoShowsBackingAndDirtyLikeQemuImg() throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "base.qcow2", "16M");
        Out c = img("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", p("o.qcow2"));
        assertThat(c.exit()).as(c.err()).isZero();
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on", "lz.qcow2", "1M");
        QemuTools.run(dir, "qemu-io", "-c", "write 0 4k", "-c", "sigraise 9", "lz.qcow2");
        for (String f : new String[] {"o.qcow2", "lz.qcow2"}) {
            for (String output : new String[] {"human", "json"}) {
                QemuTools.Run qi = QemuTools.ok(dir, "qemu-img", "info", "--output=" + output, p(f));
                Out ours = img("info", "--output=" + output, p(f));
                assertThat(ours.out()).as(f + " " + output).isEqualTo(qi.out().replace(dir + "/", ""));
            }
        }
        Out missingFmt = img("create", "-f", "qcow2", "-b", "base.qcow2", p("x.qcow2"));
        assertThat(missingFmt.exit()).isEqualTo(1);
        assertThat(missingFmt.err()).contains("Backing file specified without backing format");
    }

    private static void poke16(Path p, long off, int v) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(p.toFile(), "rw")) {
            r.seek(off);
            r.writeShort(v);
        }
    }

    private static void poke64(Path p, long off, long v) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(p.toFile(), "rw")) {
            r.seek(off);
            r.writeLong(v);
        }
    }

    /** Damage on a fresh 16M image with 128 KiB written: L2 at 0x40000, data at 0x50000 and 0x60000. */
    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("leak", (Damage) p -> poke16(p, 0x20000 + 2 * 6, 2)),
                Arguments.of("leak past data", (Damage) p -> {
                    try (RandomAccessFile r = new RandomAccessFile(p.toFile(), "rw")) {
                        r.setLength(0x90000);
                    }
                    poke16(p, 0x20000 + 2 * 8, 1);
                }),
                Arguments.of("refcount too low", (Damage) p -> poke16(p, 0x20000 + 2 * 5, 0)),
                Arguments.of("refcount too high and copied", (Damage) p -> poke16(p, 0x20000 + 2 * 5, 2)),
                Arguments.of("copied flag wrong", (Damage) p -> poke64(p, 0x40000, 0x50000L)),
                Arguments.of("L1 copied flag wrong", (Damage) p -> poke64(p, 0x30000, 0x40000L)),
                Arguments.of("reserved bits", (Damage) p -> poke64(p, 0x40000, 0x8000000000050002L)),
                Arguments.of("unaligned data", (Damage) p -> poke64(p, 0x40008, 0x8000000000060200L)));
    }

    interface Damage {
        void apply(Path p) throws IOException;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void checkAgreesWithQemuImgOnDamagedImages(String name, Damage damage) throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "d.qcow2", "16M");
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 9 0 128k", "d.qcow2");
        damage.apply(dir.resolve("d.qcow2"));
        Files.copy(dir.resolve("d.qcow2"), dir.resolve("e.qcow2"));
        for (String output : new String[] {"human", "json"}) {
            QemuTools.Run q = QemuTools.run(dir, "qemu-img", "check", "--output=" + output, "d.qcow2");
            Out ours = img("check", "--output=" + output, p("d.qcow2"));
            assertThat(ours.exit()).as(name + " exit").isEqualTo(q.exit());
            assertThat(ours.out()).as(name + " " + output).isEqualTo(q.out());
            if (output.equals("human")) {
                assertThat(ours.err().lines().sorted().toList()).as(name + " messages")
                        .isEqualTo(q.err().lines().sorted().toList());
            }
        }
        // -r leaks, on twin copies
        QemuTools.Run q = QemuTools.run(dir, "qemu-img", "check", "-r", "leaks", "e.qcow2");
        Out ours = img("check", "-r", "leaks", p("d.qcow2"));
        assertThat(ours.exit()).as(name + " -r leaks exit").isEqualTo(q.exit());
        assertThat(ours.out()).as(name + " -r leaks").isEqualTo(q.out().replace("e.qcow2", "d.qcow2"));
        QemuTools.Run after = QemuTools.run(dir, "qemu-img", "check", "--output=json", "d.qcow2");
        QemuTools.Run afterQ = QemuTools.run(dir, "qemu-img", "check", "--output=json", "e.qcow2");
        assertThat(after.out()).isEqualTo(afterQ.out().replace("e.qcow2", "d.qcow2"));
    }

    @Test
    void rawImagesAndExitCodes() throws IOException {
        Out c = img("create", "-f", "raw", p("r.raw"), "1M");
        assertThat(c.out()).isEqualTo("Formatting 'r.raw', fmt=raw size=1048576\n");
        Out chk = img("check", p("r.raw"));
        assertThat(chk.exit()).isEqualTo(63);
        QemuTools.Run qi = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "r.raw");
        assertThat(img("info", "--output=json", p("r.raw")).out()).isEqualTo(qi.out());
    }

    @Test
    void benchRunsWithQemuImgOptions() throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "preallocation=metadata", "b.qcow2",
                "64M");
        Out w = img("bench", "-w", "-c", "2000", "-d", "16", "-s", "4096", "-S", "1052672", "--pattern", "7",
                "-t", "writeback", p("b.qcow2"));
        assertThat(w.exit()).as(w.err()).isZero();
        assertThat(w.out()).startsWith("Sending 2000 write requests, 4096 bytes each, 16 in parallel (starting at "
                + "offset 0, step size 1052672)\nRun completed in ");
        Out r = img("bench", "-c", "2000", "-d", "64", "-s", "64k", "-t", "none", "-i", "native", p("b.qcow2"));
        assertThat(r.exit()).as(r.err()).isZero();
        QemuTools.Run check = QemuTools.run(dir, "qemu-img", "check", "b.qcow2");
        assertThat(check.exit()).isZero();
        QemuTools.ok(dir, "qemu-io", "-c", "read -P 7 0 4k", "-c", "read -P 7 1052672 4k", "b.qcow2");
        Out bad = img("bench", "-t", "writeback", "-i", "native", p("b.qcow2"));
        assertThat(bad.exit()).isEqualTo(1);
    }
}
