package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snapshot table against qemu-img: tables QEMU wrote are read (ids, names, dates, clocks, icount) and their
 * snapshots deleted by id or by name exactly as {@code qemu-img snapshot -d} deletes them; entries with less or
 * more extra data than 24 bytes are rewritten as QEMU rewrites them (unknown extra data kept); QEMU's open errors;
 * refcount overflow and read-only failures leave the image consistent.
 */
class Qcow2SnapshotTableTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        QemuTools.require();
    }

    private Path qemuImage(String name, String opts) throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", opts, name, "8M");
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 1 0 100k", "-c", "write -P 2 4M 64k", name);
        return dir.resolve(name);
    }

    private static Qcow2Image open(Path p) throws IOException {
        return Qcow2Image.open(ZeroingDiscardHostFile.open(p), new Qcow2Image.Options());
    }

    private static Qcow2Image openReadOnly(Path p) throws IOException {
        Qcow2Image.Options o = new Qcow2Image.Options();
        o.readOnly = true;
        return Qcow2Image.open(FileChannelHostFile.open(p, true), o);
    }

    private void assertClean(String name) throws IOException {
        QemuTools.Run check = QemuTools.run(dir, "qemu-img", "check", name);
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
    }

    /** Three snapshots by qemu-img with writes between; the core lists them as qemu-img's JSON does. */
    private Path threeSnapshots(String name) throws IOException {
        Path p = qemuImage(name, "cluster_size=4096");
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "alpha", name);
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 3 0 8k", name);
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "beta", name);
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 4 4M 4k", name);
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "gamma", name);
        return p;
    }

    @Test
    void readsTablesQemuWrote() throws IOException {
        Path p = threeSnapshots("t.qcow2");
        String info = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "t.qcow2").out();
        try (Qcow2Image img = openReadOnly(p)) {
            List<Qcow2Snapshot> l = img.snapshots().list();
            assertThat(l).extracting(Qcow2Snapshot::id).containsExactly("1", "2", "3");
            assertThat(l).extracting(Qcow2Snapshot::name).containsExactly("alpha", "beta", "gamma");
            for (Qcow2Snapshot s : l) {
                assertThat(info).contains("\"date-sec\": " + s.dateSec() + ",")
                        .contains("\"date-nsec\": " + s.dateNsec() + ",");
                assertThat(s.icount()).isZero();
                assertThat(s.vmClockNsec()).isZero();
                assertThat(s.diskSize()).isEqualTo(8L << 20);
                assertThat(s.extraDataSize()).isEqualTo(24);
            }
        }
    }

    /** {@code qemu-img snapshot -d} deletes by name; the core by id ("1:alpha"), by name, or by both. */
    @ParameterizedTest
    @ValueSource(strings = {"1:alpha", "-:beta", "3:-", "1:alpha:both"})
    void deletesQemusSnapshotsAsQemuImgDoes(String key) throws IOException {
        String[] k = key.split(":");
        String id = k[0].equals("-") ? null : k[0];
        String name = k[1].equals("-") ? "gamma" : k[1];
        Path ours = threeSnapshots("ours.qcow2");
        Path theirs = dir.resolve("theirs.qcow2");
        Files.copy(ours, theirs);
        QemuTools.ok(dir, "qemu-img", "snapshot", "-d", name, "theirs.qcow2");
        try (Qcow2Image img = open(ours)) {
            Qcow2Snapshot gone = img.snapshots().delete(id, id == null || k.length > 2 ? name : null);
            assertThat(gone.name()).isEqualTo(name);
            assertThat(img.snapshots().list()).hasSize(2);
        }
        assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(theirs));
        assertClean("ours.qcow2");
        // and the rest, down to an empty table
        try (Qcow2Image img = open(ours)) {
            for (Qcow2Snapshot s : img.snapshots().list()) {
                img.snapshots().delete(s.id(), s.name());
            }
            assertThat(img.snapshots().list()).isEmpty();
        }
        assertClean("ours.qcow2");
        assertThat(QemuTools.ok(dir, "qemu-img", "snapshot", "-l", "ours.qcow2").out()).isEmpty();
    }

    @Test
    void idsFollowTheLargestNumericId() throws IOException {
        Path p = threeSnapshots("t.qcow2");
        QemuTools.ok(dir, "qemu-img", "snapshot", "-d", "beta", "t.qcow2");
        try (Qcow2Image img = open(p)) {
            assertThat(img.snapshots().create("delta", 1, 2, 3, -1).id()).isEqualTo("4");
            img.snapshots().delete("4", null);
            img.snapshots().delete("3", null);
            assertThat(img.snapshots().create("eps", 1, 2, 3, -1).id()).isEqualTo("2");
            assertThat(img.snapshots().find("2", "eps")).isEqualTo(1);
            assertThat(img.snapshots().find("2", "alpha")).isEqualTo(-1);
        }
        assertThat(Qcow2Snapshots.strtoul(" 42x")).isEqualTo(42);
        assertThat(Qcow2Snapshots.strtoul("-1")).isEqualTo(-1L);
        assertThat(Qcow2Snapshots.strtoul("99999999999999999999999")).isEqualTo(-1L);
        assertThat(Qcow2Snapshots.strtoul("abc")).isZero();
    }

    /** Rewrites entry 0 in place with {@code extra} bytes of extra data (the table's cluster has room). */
    private static void setExtraSize(Path p, int extra) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.allocate(72);
            ch.read(h, 0);
            long off = h.getLong(64);
            ByteBuffer e = ByteBuffer.allocate(40 + 24 + 64);
            ch.read(e, off);
            int idLen = e.getShort(12);
            int nameLen = e.getShort(14);
            byte[] strs = new byte[idLen + nameLen];
            e.get(40 + 24, strs);
            ByteBuffer n = ByteBuffer.allocate(40 + extra + strs.length);
            n.put(e.array(), 0, 40);
            n.putInt(36, extra);
            for (int i = 0; i < extra; i++) {
                n.put(40 + i, i < 24 ? e.get(40 + i) : (byte) (0xa0 + i));
            }
            n.put(40 + extra, strs);
            n.clear();
            ch.write(n, off);
        }
    }

    /** Older entries (no icount, no disk size) and entries with unknown extra data, rewritten as QEMU does. */
    @ParameterizedTest
    @ValueSource(ints = {0, 8, 16, 24, 40})
    void rewritesOtherExtraDataSizesAsQemu(int extra) throws IOException {
        Path ours = qemuImage("ours.qcow2", "compat=0.10");
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "old", "ours.qcow2");
        setExtraSize(ours, extra);
        Path theirs = dir.resolve("theirs.qcow2");
        Files.copy(ours, theirs);
        try (Qcow2Image img = openReadOnly(ours)) {
            Qcow2Snapshot s = img.snapshots().list().get(0);
            assertThat(s.extraDataSize()).isEqualTo(extra);
            assertThat(s.icount()).isEqualTo(extra >= 24 ? 0 : -1);
            assertThat(s.unknownExtra()).hasSize(Math.max(0, extra - 24));
        }
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "new", "theirs.qcow2");
        Qcow2Snapshot q;
        try (Qcow2Image img = openReadOnly(theirs)) {
            q = img.snapshots().list().get(1);
        }
        try (Qcow2Image img = open(ours)) {
            img.snapshots().create("new", q.dateSec(), q.dateNsec(), 0, 0);
        }
        assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(theirs));
        assertClean("ours.qcow2");
    }

    @Test
    void openErrorsReadAsQemus() throws IOException {
        Path p = qemuImage("t.qcow2", "cluster_size=65536");
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "x", "t.qcow2");
        setExtraSize(p, 1025);
        QemuTools.Run info = QemuTools.run(dir, "qemu-img", "info", "t.qcow2");
        assertThat(info.err()).contains("Too much extra metadata in snapshot table entry 0");
        assertThatThrownBy(() -> openReadOnly(p)).isInstanceOf(Qcow2Exception.class)
                .hasMessage("Too much extra metadata in snapshot table entry 0");
    }

    /** 1-bit refcounts cannot share a cluster: QEMU fails with EINVAL; the core too, and nothing is corrupted. */
    @Test
    void refcountOverflowFailsCleanly() throws IOException {
        Path p = qemuImage("r.qcow2", "refcount_bits=1");
        Files.copy(p, dir.resolve("q.qcow2"));
        QemuTools.Run qemu = QemuTools.run(dir, "qemu-img", "snapshot", "-c", "s", "q.qcow2");
        assertThat(qemu.exit()).isNotZero();
        assertThat(qemu.err()).contains("Invalid argument");
        try (Qcow2Image img = open(p)) {
            assertThatThrownBy(() -> img.snapshots().create("s", 1, 2, 0, -1)).isInstanceOf(Qcow2Exception.class)
                    .satisfies(e -> assertThat(Errnos.text((IOException) e)).isEqualTo("Invalid argument"));
            assertThat(img.snapshots().list()).isEmpty();
        }
        assertClean("r.qcow2");
    }

    /** As in QEMU: a read-only delete fails with EPERM and the entry is gone from memory, not from the image. */
    @Test
    void readOnlyDeleteFailsWithEperm() throws IOException {
        Path p = qemuImage("ro.qcow2", "cluster_size=65536");
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "keep", "ro.qcow2");
        byte[] before = Files.readAllBytes(p);
        try (Qcow2Image img = openReadOnly(p)) {
            assertThatThrownBy(() -> img.snapshots().delete(null, "keep"))
                    .hasMessage("Failed to remove snapshot from snapshot list: Operation not permitted");
            assertThat(img.snapshots().list()).isEmpty();
            assertThatThrownBy(() -> img.snapshots().delete(null, "keep")).hasMessage("Can't find the snapshot");
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
    }
}
