package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where whole guest clusters live, against {@code qemu-img map}: data clusters at QEMU's host offsets, everything
 * else (zero, unallocated, compressed, partly allocated subclusters) not whole data; writable in place only when
 * owned (not shared with a snapshot) and the image is open read-write.
 */
class WholeClustersTest {
    private static final int CLUSTER = 65536;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        QemuTools.require();
    }

    @Test
    void answersMatchQemuImgMapAndSnapshotSharing() throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "w.qcow2", "1M");
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 1 0 64k", "-c", "write -z 64k 64k", "-c", "write -c -P 2 192k 64k",
                "-c", "write -P 3 256k 128k", "-c", "write -P 4 448k 4k", "w.qcow2");
        QemuTools.ok(dir, "qemu-img", "snapshot", "-c", "s", "w.qcow2");
        // after the snapshot: cluster 5 is copied on write (owned again), cluster 8 newly allocated
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 5 320k 4k", "-c", "write -P 6 512k 64k", "w.qcow2");
        long[] hosts = qemuHosts("w.qcow2", 16);

        long[] rw = answers("w.qcow2", false, 16);
        long[] ro = answers("w.qcow2", true, 16);
        for (int c = 0; c < 16; c++) {
            long expectHost = hosts[c];
            long a = rw[c];
            if (expectHost < 0 || c == 3) { // cluster 3 is compressed: qemu-img map gives no offset for it
                assertThat(a).as("cluster %d", c).isEqualTo(WholeClusters.NOT_DATA);
                assertThat(ro[c]).isEqualTo(WholeClusters.NOT_DATA);
                continue;
            }
            assertThat(a & ~WholeClusters.IN_PLACE).as("cluster %d", c).isEqualTo(expectHost);
            boolean owned = c == 5 || c == 8;
            assertThat((a & WholeClusters.IN_PLACE) != 0).as("cluster %d in place", c).isEqualTo(owned);
            assertThat(ro[c]).as("read-only cluster %d", c).isEqualTo(expectHost);
        }
        assertThat(rw[1]).isEqualTo(WholeClusters.NOT_DATA); // zero
        assertThat(rw[2]).isEqualTo(WholeClusters.NOT_DATA); // unallocated
    }

    @Test
    void partlyAllocatedSubclustersAreNotWholeData() throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "x.qcow2", "1M");
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 1 0 64k", "-c", "write -P 2 64k 2k", "-c", "write -P 3 128k 62k",
                "-c", "write -z 190k 2k", "x.qcow2");
        long[] hosts = qemuHosts("x.qcow2", 4);
        long[] a = answers("x.qcow2", false, 4);
        assertThat(a[0]).isEqualTo(hosts[0] | WholeClusters.IN_PLACE);
        assertThat(a[1]).isEqualTo(WholeClusters.NOT_DATA);
        assertThat(a[2]).isEqualTo(WholeClusters.NOT_DATA); // its last subcluster reads as zero
        assertThat(a[3]).isEqualTo(WholeClusters.NOT_DATA);
    }

    @Test
    void runsCoverOneL2SliceAndAgreeWithSingleAnswers() throws IOException {
        QemuTools.ok(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=4096", "s.qcow2", "8M");
        QemuTools.ok(dir, "qemu-io", "-c", "write -P 1 0 3M", "-c", "write -P 2 5M 1M", "s.qcow2");
        try (FileChannelHostFile f = FileChannelHostFile.open(dir.resolve("s.qcow2"), false);
                Qcow2Image img = Qcow2Image.open(f, new Qcow2Image.Options())) {
            int len = WholeClusters.runLength(img);
            assertThat(len).isEqualTo(512); // a 4 KiB L2 table holds 512 entries
            WholeClusters.Run r = WholeClusters.around(img, 700);
            assertThat(r.first()).isEqualTo(512);
            assertThat(r.answers()).hasSize(512);
            for (long g = r.first(); g < r.first() + len; g++) {
                assertThat(r.answer(g)).isEqualTo(WholeClusters.of(img, g));
            }
            WholeClusters.Run last = WholeClusters.around(img, 2047);
            assertThat(last.first()).isEqualTo(1536);
            assertThat(last.answer(1536)).isEqualTo(WholeClusters.NOT_DATA); // 6 MiB on: never written
            assertThat(WholeClusters.of(img, 2048)).isEqualTo(WholeClusters.NOT_DATA); // beyond the end
        }
    }

    /** Answers for the first {@code n} guest clusters. */
    private long[] answers(String name, boolean readOnly, int n) throws IOException {
        try (FileChannelHostFile f = FileChannelHostFile.open(dir.resolve(name), readOnly);
                Qcow2Image img = Qcow2Image.open(f, new Qcow2Image.Options().readOnly(readOnly))) {
            long[] out = new long[n];
            for (int c = 0; c < n; c++) {
                out[c] = WholeClusters.of(img, c);
            }
            return out;
        }
    }

    /** The host offset of each guest cluster's first byte per {@code qemu-img map}, or -1 when it has none. */
    private long[] qemuHosts(String name, int n) throws IOException {
        String json = QemuTools.ok(dir, "qemu-img", "map", "--output=json", name).out();
        List<JsonNode> entries = new ArrayList<>();
        new ObjectMapper().readTree(json).forEach(entries::add);
        long[] hosts = new long[n];
        for (int c = 0; c < n; c++) {
            long at = (long) c * CLUSTER;
            hosts[c] = -1;
            for (JsonNode e : entries) {
                long start = e.get("start").asLong();
                if (at >= start && at < start + e.get("length").asLong() && e.get("data").asBoolean()
                        && e.has("offset")) {
                    hosts[c] = e.get("offset").asLong() + (at - start);
                }
            }
        }
        return hosts;
    }
}
