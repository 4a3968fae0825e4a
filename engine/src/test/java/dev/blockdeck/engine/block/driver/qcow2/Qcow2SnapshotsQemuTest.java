package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Internal snapshots of the core against QEMU's own tools: the same snapshot taken by the core and by
 * {@code qemu-img snapshot -c} on copies of one image gives byte-identical files (same allocations, same table,
 * same refcounts and copied flags), and so does deleting; {@code qemu-img} lists what the core made exactly as its
 * own; guest writes after a snapshot leave the snapshot's data alone ({@code snapshot -a} then {@code compare});
 * {@code qemu-img check} stays clean throughout.
 */
class Qcow2SnapshotsQemuTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        QemuTools.require();
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("v3 64k", "cluster_size=65536"),
                Arguments.of("v2 64k", "compat=0.10"),
                Arguments.of("v3 512", "cluster_size=512"),
                Arguments.of("v3 4k refcount 64", "cluster_size=4096,refcount_bits=64"),
                Arguments.of("v3 4k refcount 8", "cluster_size=4096,refcount_bits=8"),
                Arguments.of("extended l2 64k", "extended_l2=on"),
                Arguments.of("lazy refcounts", "lazy_refcounts=on"));
    }

    /** Guest writes spread over several L2 tables, zero clusters, a discard and compressed clusters. */
    private static final List<String> SETUP = List.of("write -P 0x11 0 200k", "write -P 0x22 3M 64k",
            "write -z 5M 128k", "write -P 0x33 9M 1k", "write -c -P 0x44 12M 64k", "discard 3M 64k",
            "write -P 0x55 15M 300k");

    private Path image(String name, String opts) throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", opts, name, "16M");
        qemuIo(name, SETUP);
        return dir.resolve(name);
    }

    private void qemuIo(String image, List<String> cmds) throws IOException {
        List<String> c = new ArrayList<>(List.of("qemu-io"));
        for (String s : cmds) {
            c.add("-c");
            c.add(s);
        }
        c.add(image);
        QemuTools.ok(dir, c.toArray(String[]::new));
    }

    private static Qcow2Image open(Path p) throws IOException {
        return Qcow2Image.open(ZeroingDiscardHostFile.open(p), new Qcow2Image.Options());
    }

    /** Date and clock of the newest snapshot of {@code p} as QEMU reads them. */
    private static Qcow2Snapshot newest(Path p) throws IOException {
        Qcow2Image.Options o = new Qcow2Image.Options();
        o.readOnly = true;
        try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(p, true), o)) {
            List<Qcow2Snapshot> l = q.snapshots().list();
            return l.get(l.size() - 1);
        }
    }

    private void assertClean(String name) throws IOException {
        QemuTools.Run check = QemuTools.run(dir, "qemu-img", "check", name);
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("No errors were found on the image.");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void snapshotsAndDeletesAreByteIdenticalToQemuImg(String label, String opts) throws IOException {
        Path ours = image("ours.qcow2", opts);
        Path theirs = dir.resolve("theirs.qcow2");
        Files.copy(ours, theirs, StandardCopyOption.REPLACE_EXISTING);

        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "first", "theirs.qcow2");
        Qcow2Snapshot q1 = newest(theirs);
        try (Qcow2Image img = open(ours)) {
            Qcow2Snapshot s = img.snapshots().create("first", q1.dateSec(), q1.dateNsec(), 0, 0);
            assertThat(s.id()).isEqualTo("1");
        }
        assertThat(Files.readAllBytes(ours)).as("after create").isEqualTo(Files.readAllBytes(theirs));
        assertClean("ours.qcow2");

        // guest writes between snapshots, then a second snapshot
        List<String> more = List.of("write -P 0x66 100k 200k", "write -P 0x77 12M 4k", "write -z 15M 64k");
        qemuIo("ours.qcow2", more);
        qemuIo("theirs.qcow2", more);
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "second", "theirs.qcow2");
        Qcow2Snapshot q2 = newest(theirs);
        try (Qcow2Image img = open(ours)) {
            img.snapshots().create("second", q2.dateSec(), q2.dateNsec(), 0, 0);
        }
        assertThat(Files.readAllBytes(ours)).as("after second create").isEqualTo(Files.readAllBytes(theirs));

        QemuTools.ok(dir, "qemu-img", "snapshot", "-d", "first", "theirs.qcow2");
        try (Qcow2Image img = open(ours)) {
            assertThat(img.snapshots().delete(null, "first").id()).isEqualTo("1");
        }
        assertThat(Files.readAllBytes(ours)).as("after delete").isEqualTo(Files.readAllBytes(theirs));
        assertClean("ours.qcow2");
    }

    /** What the core made, qemu-img lists as it lists its own (same date given to both). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void qemuImgListsTheCoresSnapshotsAsItsOwn(String label, String opts) throws IOException {
        Path ours = image("ours.qcow2", opts);
        Files.copy(ours, dir.resolve("theirs.qcow2"));
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "a", "theirs.qcow2");
        Qcow2Snapshot q = newest(dir.resolve("theirs.qcow2"));
        try (Qcow2Image img = open(ours)) {
            img.snapshots().create("a", q.dateSec(), q.dateNsec(), 0, 0);
        }
        String listOurs = QemuTools.ok(dir, "qemu-img", "snapshot", "-l", "ours.qcow2").out();
        String listTheirs = QemuTools.ok(dir, "qemu-img", "snapshot", "-l", "theirs.qcow2").out();
        assertThat(listOurs).isEqualTo(listTheirs).contains(" a ");
        String infoOurs = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "ours.qcow2").out();
        String infoTheirs = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "theirs.qcow2").out();
        // actual-size is the host file system's business (QEMU preallocates differently)
        assertThat(withoutActualSize(infoOurs.replace("ours.qcow2", "X")))
                .isEqualTo(withoutActualSize(infoTheirs.replace("theirs.qcow2", "X")));
    }

    private static String withoutActualSize(String json) {
        return json.replaceAll("\"actual-size\": \\d+,", "");
    }

    /**
     * Guest writes through the core after a snapshot do not reach the snapshot: reverting with
     * {@code qemu-img snapshot -a} gives back exactly the data of the moment it was taken.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void writesAfterASnapshotLeaveItAlone(String label, String opts) throws IOException {
        Path p = image("w.qcow2", opts);
        QemuTools.ok(dir, "qemu-img", "convert", "-O", "raw", "w.qcow2", "before.raw");
        try (Qcow2Image img = open(p)) {
            img.snapshots().create("s", 1_700_000_000L, 5000, 0, -1);
            // overwrite shared data clusters partly and fully, zero with and without unmap, discard, grow data
            byte[] b = new byte[300_000];
            java.util.Arrays.fill(b, (byte) 0x99);
            img.write(10_000, ByteBuffer.wrap(b));
            img.write(12L << 20, ByteBuffer.wrap(b, 0, 4096));
            img.writeZeroes(15L << 20, 65536, true);
            img.writeZeroes(0, 512, false);
            img.discard(3L << 20, 1L << 20);
            img.write(7L << 20, ByteBuffer.wrap(b, 0, 1000));
        }
        assertClean("w.qcow2");
        QemuTools.ok(dir, "qemu-img", "convert", "-O", "raw", "w.qcow2", "after.raw");
        assertThat(Files.mismatch(dir.resolve("before.raw"), dir.resolve("after.raw"))).isNotEqualTo(-1L);
        QemuTools.ok(dir, "qemu-img", "snapshot", "-a", "s", "w.qcow2");
        assertClean("w.qcow2");
        QemuTools.ok(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", "w.qcow2", "before.raw");
    }
}
