package dev.blockdeck.engine.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;

/**
 * {@code img bench} against {@code qemu-img bench}: the same write workloads leave byte-identical images (copy-on-
 * write from a backing file, allocation, clusters shared with a snapshot), failures end the same way; in both cache
 * modes, since O_DIRECT takes other paths (no page cache, aligned I/O, short reads at the end of the file).
 */
class ImgBenchTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        QemuTools.require();
    }

    record Out(int exit, String out, String err) {
    }

    private Out img(List<String> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = ImgMain.run(new ArrayList<>(args), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Out(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** Runs one bench workload with both tools, ours on {@code ours}, QEMU's on {@code theirs}. */
    private void benchBoth(String ours, String theirs, List<String> opts) throws IOException {
        List<String> q = new ArrayList<>(List.of("qemu-img", "bench"));
        q.addAll(opts);
        q.add(theirs);
        QemuTools.ok(dir, q.toArray(String[]::new));
        List<String> a = new ArrayList<>(List.of("bench"));
        a.addAll(opts);
        a.add(dir.resolve(ours).toString());
        Out r = img(a);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
    }

    private static List<String> cache(String mode) {
        return mode.equals("none") ? List.of("-t", "none", "-i", "native") : List.of("-t", mode);
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(strings = {"none", "writeback"})
    void writesNeverReachClustersSharedWithASnapshot(String mode) throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "s.qcow2", "16M");
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 1 0 16M", "s.qcow2");
        // qemu-img writes the snapshot table at the end of the file, 67 bytes long: O_DIRECT must read it there
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "s1", "s.qcow2");
        Files.copy(dir.resolve("s.qcow2"), dir.resolve("q.qcow2"));
        List<String> opts = new ArrayList<>(List.of("-w", "-f", "qcow2", "-c", "600", "-d", "16", "-s", "4096", "-S",
                "12288", "--pattern", "7"));
        opts.addAll(cache(mode));
        benchBoth("s.qcow2", "q.qcow2", opts);

        assertThat(QemuTools.run(dir, "qemu-img", "check", "s.qcow2").exit()).isZero();
        assertThat(QemuTools.run(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "qcow2", "s.qcow2", "q.qcow2")
                .exit()).as("same guest data as after qemu-img bench").isZero();
        QemuTools.ok(dir, "qemu-img", "convert", "-l", "snapshot.name=s1", "-O", "raw", "s.qcow2", "snap.raw");
        byte[] snap = Files.readAllBytes(dir.resolve("snap.raw"));
        assertThat(snap).hasSize(16 << 20);
        for (int i = 0; i < snap.length; i += 4096) {
            assertThat(snap[i]).as("snapshot byte at %d", i).isEqualTo((byte) 1);
        }
        QemuTools.ok(dir, "qemu-io", "-c", "read -P 7 12288 4k", "-c", "read -P 1 16384 8k", "s.qcow2");
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(strings = {"none", "writeback"})
    void writesOverABackingFileLeaveWhatQemuImgLeaves(String mode) throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "base.qcow2", "8M");
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 3 0 8M", "base.qcow2");
        for (String o : List.of("a.qcow2", "b.qcow2")) {
            QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", o);
            // some clusters already allocated and owned: those writes go straight to the file
            QemuTools.ok(dir, "qemu-io", "-c", "write -P 4 0 1M", o);
        }
        // 4 KiB steps of 68 KiB from 2 KiB on: unaligned, crossing clusters, most of them unallocated
        List<String> opts = new ArrayList<>(List.of("-w", "-f", "qcow2", "-c", "400", "-d", "32", "-o", "2048", "-s",
                "4096", "-S", "69632", "--pattern", "9", "--flush-interval", "50"));
        opts.addAll(cache(mode));
        benchBoth("a.qcow2", "b.qcow2", opts);
        assertThat(QemuTools.run(dir, "qemu-img", "check", "a.qcow2").exit()).isZero();
        assertThat(QemuTools.run(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "qcow2", "a.qcow2", "b.qcow2")
                .exit()).isZero();
        QemuTools.ok(dir, "qemu-io", "-c", "read -P 9 2048 4k", "-c", "read -P 9 71680 4k", "a.qcow2");

        List<String> read = new ArrayList<>(List.of("-f", "qcow2", "-c", "3000", "-d", "64", "-s", "65536"));
        read.addAll(cache(mode));
        benchBoth("a.qcow2", "b.qcow2", read); // data, copied-on-write and backing clusters alike
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(strings = {"none", "writeback"})
    void rawWritesLeaveWhatQemuImgLeaves(String mode) throws IOException {
        for (String o : List.of("a.raw", "b.raw")) {
            QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "raw", o, "4M");
        }
        List<String> opts = new ArrayList<>(List.of("-w", "-f", "raw", "-c", "500", "-d", "8", "-s", "8192", "-S",
                "20480", "--pattern", "5"));
        opts.addAll(cache(mode));
        benchBoth("a.raw", "b.raw", opts);
        assertThat(Files.readAllBytes(dir.resolve("a.raw"))).isEqualTo(Files.readAllBytes(dir.resolve("b.raw")));
    }

    @ParameterizedTest(name = "format {0}")
    @ValueSource(strings = {"qcow2", "raw"})
    void aRequestBeyondTheEndFailsAsInQemuImg(String format) throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", format, "e.img", "4M");
        String step = String.valueOf((4 << 20) - 2048);
        QemuTools.Run q = QemuTools.run(dir, "qemu-img", "bench", "-f", format, "-c", "4", "-d", "2", "-S", step,
                "-t", "none", "-i", "native", "e.img");
        Out r = img(List.of("bench", "-f", format, "-c", "4", "-d", "2", "-S", step, "-t", "none", "-i", "native",
                dir.resolve("e.img").toString()));
        assertThat(r.exit()).isEqualTo(q.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(q.out());
        assertThat(r.err()).isEqualTo(q.err().replace("qemu-img: ", ImgMain.PROG + ": "));
    }
}
