package dev.blockdeck.engine.block.driver.qcow2.bitmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.blockdeck.engine.bitmap.DirtyBitmap;
import dev.blockdeck.engine.bitmap.HBitmap;
import dev.blockdeck.engine.bitmap.NodeDirtyBitmaps;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;
import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.qmp.client.QmpClient;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * Persistent bitmaps against QEMU 7.2's own tools: bitmaps qemu-img and qemu-io made load with QEMU's bits (its
 * x-debug-block-dirty-bitmap-sha256 on the same image), and bitmaps the engine stores are listed by
 * {@code qemu-img info}, pass {@code qemu-img check}, and load in QEMU with the engine's bits.
 */
class Qcow2BitmapsQemuTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;

    /** A bitmap as either side sees it. */
    record Seen(long count, String sha256, boolean recording, boolean inconsistent) {
    }

    @BeforeEach
    void setUp() {
        QemuTools.require();
        Qemu.requireBinary();
        dir = ShortTempDir.create("bq2");
    }

    @AfterEach
    void cleanup() {
        ShortTempDir.delete(dir);
    }

    private Path img(String name) {
        return dir.resolve(name);
    }

    private void tool(String... cmd) throws IOException {
        QemuTools.ok(dir, cmd);
    }

    /** What QEMU loads from the image, opened read-only: counts, hashes and states, by name. */
    private Map<String, Seen> qemuSees(Path image) throws Exception {
        Map<String, Seen> out = new LinkedHashMap<>();
        try (Qemu q = Qemu.start("-blockdev", "driver=qcow2,node-name=q,read-only=on,file.driver=file,file.filename="
                + image); QmpClient c = QmpClient.connect(q.socket()).get(10, TimeUnit.SECONDS)) {
            c.negotiate().get(10, TimeUnit.SECONDS);
            JsonNode nodes = c.execute("query-named-block-nodes", JSON.createObjectNode().put("flat", true))
                    .get(10, TimeUnit.SECONDS);
            for (JsonNode n : nodes) {
                if (!n.get("node-name").asText().equals("q")) {
                    continue;
                }
                for (JsonNode b : n.path("dirty-bitmaps")) {
                    String name = b.get("name").asText();
                    String sha = c.execute("x-debug-block-dirty-bitmap-sha256",
                            JSON.createObjectNode().put("node", "q").put("name", name))
                            .get(10, TimeUnit.SECONDS).get("sha256").asText();
                    out.put(name, new Seen(b.get("count").asLong(), sha, b.get("recording").asBoolean(),
                            b.path("inconsistent").asBoolean(false)));
                }
            }
        }
        return out;
    }

    /** What the engine loads from the image, opened read-only. */
    private static Map<String, Seen> engineSees(Path image) throws IOException {
        Map<String, Seen> out = new LinkedHashMap<>();
        try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(image, true), new Qcow2Image.Options()
                .readOnly(true))) {
            List<Qcow2Bitmaps.Loaded> loaded = new Qcow2Bitmaps(q).load();
            // QEMU lists a node's bitmaps newest first: the directory's last entry was created last
            for (int i = loaded.size() - 1; i >= 0; i--) {
                Qcow2Bitmaps.Loaded l = loaded.get(i);
                out.put(l.name(), new Seen(l.bits().count(), l.bits().sha256(), l.auto() && !l.inUse(), l.inUse()));
            }
        }
        return out;
    }

    private static Qcow2Image openRw(Path image) throws IOException {
        Qcow2Image.Options o = new Qcow2Image.Options();
        o.maintainsBitmaps = true;
        return Qcow2Image.open(FileChannelHostFile.open(image, false), o);
    }

    private JsonNode info(Path image) throws IOException {
        return JSON.readTree(QemuTools.ok(dir, "qemu-img", "info", "-U", "--output=json", image.toString()).out());
    }

    private void assertClean(Path image) throws IOException {
        QemuTools.Run r = QemuTools.run(dir, "qemu-img", "check", "--output=json", image.toString());
        assertThat(r.exit()).as("qemu-img check: %s %s", r.out(), r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.has("leaks") || j.has("corruptions")).as("check %s", j).isFalse();
    }

    @Test
    void bitmapsQemuMadeLoadWithQemusBits() throws Exception {
        tool("qemu-img", "create", "-q", "-f", "qcow2", "t.qcow2", "64M");
        tool("qemu-img", "bitmap", "--add", "t.qcow2", "b0");
        tool("qemu-img", "bitmap", "--add", "-g", "512", "t.qcow2", "b1");
        tool("qemu-img", "bitmap", "--add", "--disable", "t.qcow2", "b2");
        tool("qemu-img", "bitmap", "--add", "-g", "2M", "t.qcow2", "b3");
        tool("qemu-io", "-c", "write 0 1", "-c", "write 1M 65537", "-c", "write -z 8M 4096", "-c",
                "write 67108863 1", "t.qcow2");
        tool("qemu-img", "bitmap", "--merge", "b1", "t.qcow2", "b2");
        tool("qemu-img", "bitmap", "--add", "t.qcow2", "b4");
        tool("qemu-io", "-c", "write 30M 3M", "t.qcow2");
        tool("qemu-img", "bitmap", "--clear", "--disable", "t.qcow2", "b3");
        Map<String, Seen> qemu = qemuSees(img("t.qcow2"));
        assertThat(qemu).hasSize(5);
        assertThat(qemu.get("b1").count()).isGreaterThan(0);
        assertThat(engineSees(img("t.qcow2"))).containsExactlyEntriesOf(qemu);
    }

    @Test
    void multiClusterTablesOfSmallClusterImages() throws Exception {
        tool("qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=512", "s.qcow2", "16M");
        tool("qemu-img", "bitmap", "--add", "-g", "512", "s.qcow2", "fine");
        tool("qemu-img", "bitmap", "--add", "-g", "4096", "s.qcow2", "mid");
        tool("qemu-io", "-c", "write 0 3000", "-c", "write 5M 1M", "-c", "write 16776704 512", "s.qcow2");
        Map<String, Seen> qemu = qemuSees(img("s.qcow2"));
        assertThat(engineSees(img("s.qcow2"))).containsExactlyEntriesOf(qemu);
    }

    @Test
    void bitmapsTheEngineStoresAreQemus() throws Exception {
        tool("qemu-img", "create", "-q", "-f", "qcow2", "e.qcow2", "100000768");
        HBitmap a = new HBitmap(100000768, 16);
        a.set(0, 1);
        a.set(50_000_000, 5_000_000);
        a.set(100000767, 1);
        HBitmap b = new HBitmap(100000768, 9);
        b.set(4096, 100);
        try (Qcow2Image q = openRw(img("e.qcow2"))) {
            Qcow2Bitmaps bm = new Qcow2Bitmaps(q);
            assertThat(bm.load()).isEmpty();
            bm.store(List.of(new Qcow2Bitmaps.ToStore("a", true, a), new Qcow2Bitmaps.ToStore("b", false, b)));
        }
        JsonNode listed = info(img("e.qcow2")).at("/format-specific/data/bitmaps");
        assertThat(listed.toString()).isEqualTo("[{\"flags\":[\"auto\"],\"name\":\"a\",\"granularity\":65536},"
                + "{\"flags\":[],\"name\":\"b\",\"granularity\":512}]");
        assertClean(img("e.qcow2"));
        Map<String, Seen> qemu = qemuSees(img("e.qcow2"));
        assertThat(qemu.get("a")).isEqualTo(new Seen(a.count(), a.sha256(), true, false));
        assertThat(qemu.get("b")).isEqualTo(new Seen(b.count(), b.sha256(), false, false));

        // reopened read-write: loading flags them in use on disk; storing again replaces them, removing drops one
        try (Qcow2Image q = openRw(img("e.qcow2"))) {
            Qcow2Bitmaps bm = new Qcow2Bitmaps(q);
            List<Qcow2Bitmaps.Loaded> loaded = bm.load();
            assertThat(loaded).extracting(Qcow2Bitmaps.Loaded::name).containsExactly("a", "b");
            assertThat(info(img("e.qcow2")).at("/format-specific/data/bitmaps/0/flags").toString())
                    .isEqualTo("[\"in-use\",\"auto\"]");
            HBitmap a2 = loaded.get(0).bits();
            a2.reset(50_000_000, 1_000_000);
            a2.set(7_000_000, 1);
            bm.store(List.of(new Qcow2Bitmaps.ToStore("a", false, a2)));
            bm.remove("b");
            bm.store(List.of(new Qcow2Bitmaps.ToStore("c", true, new HBitmap(100000768, 20))));
        }
        assertClean(img("e.qcow2"));
        assertThat(info(img("e.qcow2")).at("/format-specific/data/bitmaps").toString())
                .isEqualTo("[{\"flags\":[],\"name\":\"a\",\"granularity\":65536},"
                        + "{\"flags\":[\"auto\"],\"name\":\"c\",\"granularity\":1048576}]");
        assertThat(qemuSees(img("e.qcow2"))).containsExactlyEntriesOf(engineSees(img("e.qcow2")));

        // removing the last bitmap drops the extension and its autoclear bit; the image stays clean
        try (Qcow2Image q = openRw(img("e.qcow2"))) {
            Qcow2Bitmaps bm = new Qcow2Bitmaps(q);
            bm.remove("a");
            bm.remove("c");
            bm.remove("never-there");
        }
        assertClean(img("e.qcow2"));
        assertThat(info(img("e.qcow2")).at("/format-specific/data").has("bitmaps")).isFalse();
    }

    @Test
    void bitmapsLeftInUseAreInconsistentForQemuAndTheEngine() throws Exception {
        tool("qemu-img", "create", "-q", "-f", "qcow2", "u.qcow2", "16M");
        tool("qemu-img", "bitmap", "--add", "u.qcow2", "x");
        tool("qemu-io", "-c", "write 0 1M", "u.qcow2");
        try (Qcow2Image q = openRw(img("u.qcow2"))) {
            new Qcow2Bitmaps(q).load(); // a crash before storing leaves them in use
        }
        Map<String, Seen> qemu = qemuSees(img("u.qcow2"));
        assertThat(qemu.get("x").inconsistent()).isTrue();
        assertThat(engineSees(img("u.qcow2"))).containsExactlyEntriesOf(qemu);
        try (Qcow2Image q = openRw(img("u.qcow2"))) {
            Qcow2Bitmaps bm = new Qcow2Bitmaps(q);
            assertThat(bm.load().get(0).inUse()).isTrue();
            assertThatThrownBy(() -> bm.checkCanStoreNew("x", 65536, "disk0")).isInstanceOf(Qcow2Exception.class)
                    .hasMessage("Can't make bitmap 'x' persistent in 'disk0': Bitmap with the same name is already "
                            + "stored");
            bm.remove("x");
        }
        assertClean(img("u.qcow2"));
    }

    @Test
    void anAllOnesTableEntrySetsWholeWordsPastTheEndAsQemuDoes() throws Exception {
        // 1954 bits of 512 bytes: the last word has 30 bits past the end
        tool("qemu-img", "create", "-q", "-f", "qcow2", "o.qcow2", "1000448");
        try (Qcow2Image q = openRw(img("o.qcow2"))) {
            new Qcow2Bitmaps(q).store(List.of(new Qcow2Bitmaps.ToStore("ones", true, new HBitmap(1000448, 9))));
        }
        long table;
        try (Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(img("o.qcow2"), true),
                new Qcow2Image.Options().readOnly(true))) {
            ByteBuffer ext = ByteBuffer.wrap(q.header().bitmapsExt);
            ByteBuffer d = ByteBuffer.allocate(8);
            q.hostFile().read(ext.getLong(16), d);
            table = d.getLong(0);
        }
        try (FileChannel ch = FileChannel.open(img("o.qcow2"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).putLong(0, 1L), table); // entry 0: offset 0, all ones
        }
        assertClean(img("o.qcow2"));
        Map<String, Seen> qemu = qemuSees(img("o.qcow2"));
        assertThat(qemu.get("ones").count()).isEqualTo(1954L * 512);
        assertThat(engineSees(img("o.qcow2"))).containsExactlyEntriesOf(qemu);
    }

    @Test
    void aNodesBitmapsLoadRecordAndStoreThroughTheAdapter() throws Exception {
        tool("qemu-img", "create", "-q", "-f", "qcow2", "n.qcow2", "32M");
        tool("qemu-img", "bitmap", "--add", "n.qcow2", "on");
        tool("qemu-img", "bitmap", "--add", "--disable", "-g", "4096", "n.qcow2", "off");
        tool("qemu-img", "bitmap", "--add", "n.qcow2", "gone");
        tool("qemu-io", "-c", "write 0 64k", "n.qcow2");
        NodeDirtyBitmaps node = new NodeDirtyBitmaps();
        try (Qcow2Image q = openRw(img("n.qcow2"))) {
            Qcow2PersistentBitmaps p = new Qcow2PersistentBitmaps(new Qcow2Bitmaps(q), () -> "disk0");
            List<DirtyBitmap> loaded = p.loadInto(node, false);
            assertThat(loaded).extracting(DirtyBitmap::name).containsExactly("on", "off", "gone");
            assertThat(node.all()).allMatch(DirtyBitmap::persistent);
            assertThat(node.find("off").orElseThrow().enabled()).isFalse();
            node.markDirty(10 << 20, 1); // a guest write while open: only enabled bitmaps record it
            DirtyBitmap fresh = node.create("fresh", 32 << 20, 16);
            p.checkCanStoreNew("fresh", 65536);
            fresh.setPersistent(true);
            fresh.setDirty(20 << 20, 1);
            DirtyBitmap temp = node.create("temp", 32 << 20, 16); // not persistent: never stored
            temp.setDirty(0, 1);
            assertThatThrownBy(() -> p.checkCanStoreNew("on", 65536)).isInstanceOf(BlockException.class)
                    .hasMessage("Can't make bitmap 'on' persistent in 'disk0': Bitmap with the same name is already "
                            + "stored");
            p.removePersistent("gone");
            node.release(node.find("gone").orElseThrow());
            p.storeFrom(node, true);
            assertThat(node.all()).extracting(DirtyBitmap::name).containsExactly("temp");
        }
        assertClean(img("n.qcow2"));
        Map<String, Seen> qemu = qemuSees(img("n.qcow2"));
        assertThat(qemu.keySet()).containsExactly("fresh", "off", "on");
        assertThat(qemu.get("on").count()).isEqualTo(2 * 65536);
        assertThat(qemu.get("off").count()).isZero();
        assertThat(qemu.get("fresh")).isEqualTo(new Seen(65536, shaOf(32 << 20, 16, 20 << 20), true, false));
        assertThat(engineSees(img("n.qcow2"))).containsExactlyEntriesOf(qemu);
    }

    private static String shaOf(long size, int granularity, long dirtyAt) {
        HBitmap h = new HBitmap(size, granularity);
        h.set(dirtyAt, 1);
        return h.sha256();
    }

    @Test
    void newPersistentBitmapsAreCheckedWithQemusMessages() throws Exception {
        tool("qemu-img", "create", "-q", "-f", "qcow2", "-o", "compat=0.10", "v2.qcow2", "1M");
        tool("qemu-img", "create", "-q", "-f", "qcow2", "v3.qcow2", "1G");
        try (Qcow2Image q = openRw(img("v2.qcow2"))) {
            assertThatThrownBy(() -> new Qcow2Bitmaps(q).checkCanStoreNew("b", 65536, "d"))
                    .hasMessage("Can't make bitmap 'b' persistent in 'd': Cannot store dirty bitmaps in qcow2 v2 files");
        }
        try (Qcow2Image q = openRw(img("v3.qcow2"))) {
            Qcow2Bitmaps bm = new Qcow2Bitmaps(q);
            bm.checkCanStoreNew("b", 512, "d");
            assertThatThrownBy(() -> bm.checkCanStoreNew("b", 1L << 32, "d"))
                    .hasMessage("Can't make bitmap 'b' persistent in 'd': Granularity exceeds maximum (2147483648 "
                            + "bytes)");
            assertThatThrownBy(() -> bm.checkCanStoreNew("n".repeat(1024), 65536, "d"))
                    .hasMessageEndingWith(": Name length exceeds maximum (1023 characters)");
            bm.store(List.of(new Qcow2Bitmaps.ToStore("b", true, new HBitmap(1L << 30, 16))));
            assertThatThrownBy(() -> bm.checkCanStoreNew("b", 65536, "d"))
                    .hasMessage("Can't make bitmap 'b' persistent in 'd': Bitmap with the same name is already stored");
            assertThatThrownBy(() -> bm.store(List.of(new Qcow2Bitmaps.ToStore("b", true, new HBitmap(1L << 30, 16)))))
                    .hasMessage("Bitmap 'b' already exists in the image");
        }
        assertClean(img("v3.qcow2"));
    }
}
