package dev.blockdeck.app.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** BlockStateReader on answers recorded from QEMU 7.2 (and the engine's extension played on top). */
class BlockStateReaderTest {

    private static BlockState read(Recording r) {
        return new BlockStateReader(r).read().join();
    }

    private static Map<String, GraphNode> byName(BlockState s) {
        return s.nodes().stream().collect(Collectors.toMap(GraphNode::name, Function.identity()));
    }

    private static List<String> laneOf(BlockState s, String lane) {
        return s.lanes().stream().filter(l -> l.id().equals(lane)).findFirst().orElseThrow()
                .nodes().stream().map(GraphNode::name).toList();
    }

    @Test
    void qemuChainsGiveEveryNamedNodeItsDriverFileSizeAndFlags() {
        Recording r = Recording.load("chains");
        BlockState s = read(r);

        assertThat(s.isAvailable()).isTrue();
        assertThat(s.warnings()).isEmpty();
        assertThat(s.blockNodes()).extracting(GraphNode::name).containsExactlyInAnyOrderElementsOf(r.namedNodes());
        Map<String, GraphNode> n = byName(s);
        assertThat(n.get("top2")).extracting(GraphNode::kind, GraphNode::driver, GraphNode::file, GraphNode::size,
                        GraphNode::readOnly, GraphNode::dirtyBitmaps)
                .containsExactly(NodeKind.FORMAT, "qcow2", "/tmp/bdrec/top2.qcow2", 134217728L, false, 2);
        assertThat(n.get("base2").readOnly()).isTrue();
        assertThat(n.get("top2-file").kind()).isEqualTo(NodeKind.PROTOCOL);
        assertThat(n.get("null0").kind()).isEqualTo(NodeKind.PROTOCOL);
        assertThat(n.get("null0").file()).startsWith("json:");
        assertThat(n.get("drive0")).extracting(GraphNode::kind, GraphNode::device, GraphNode::key)
                .containsExactly(NodeKind.BACKEND, "", "backend:drive0");
    }

    @Test
    void edgesCarryRoleAndPermissions() {
        BlockState s = read(Recording.load("chains"));
        assertThat(s.edges()).extracting(GraphEdge::parentKey, GraphEdge::childKey, GraphEdge::role)
                .contains(tuple("backend:drive0", "node:d0", "root"),
                        tuple("node:top2", "node:base2", "backing"),
                        tuple("node:top2", "node:top2-file", "file"),
                        tuple("node:raw0", "node:raw0-file", "file"));
        GraphEdge file = s.edges().stream().filter(e -> e.parentKey().equals("node:top2") && e.role().equals("file"))
                .findFirst().orElseThrow();
        assertThat(file.perm()).containsExactly("resize", "write", "consistent-read");
        assertThat(file.sharedPerm()).containsExactly("write-unchanged", "consistent-read");
        assertThat(s.edges()).hasSize(9);
    }

    /** QEMU reports no AioContext: x-blockdev-set-iothread top1 → iothread0 is invisible, so all is assumed. */
    @Test
    void withoutReportsOrDeviceLinksEverythingIsAssumedInTheMainLoop() {
        Recording r = Recording.load("chains");
        BlockState s = read(r);
        assertThat(s.nodes()).allSatisfy(n -> assertThat(n.placement()).isEqualTo(Placement.MAIN_LOOP_ASSUMED));
        assertThat(s.contextsReported()).isFalse();
        assertThat(s.lanes()).extracting(Lane::id).containsExactly("main-loop", "iothread0", "iothread1");
        assertThat(s.lanes().get(0).assumed()).isTrue();
        assertThat(s.lanes().get(1).nodes()).isEmpty();
        assertThat(s.lanes().get(1).info().threadId()).isPositive();
        // -drive if=none has no device: no qom-get
        assertThat(r.count("qom-get")).isZero();
    }

    @Test
    void aDeviceIothreadLinkPlacesItsWholeComponentAsAssumed() {
        Recording r = Recording.load("device");
        BlockState s = read(r);

        assertThat(s.warnings()).isEmpty();
        assertThat(laneOf(s, "iothread1")).containsExactlyInAnyOrder("drive1", "vd", "#block094");
        assertThat(laneOf(s, "main-loop")).containsExactlyInAnyOrder("vblk1", "plain", "plain-file");
        GraphNode vd = byName(s).get("vd");
        assertThat(vd.placement()).isEqualTo(Placement.deviceLink("iothread1", "vblk0"));
        assertThat(vd.placement().explanation()).contains("assumed", "vblk0", "dataplane");
        // the anonymous BlockBackend is named after its device
        GraphNode vblk1 = byName(s).get("vblk1");
        assertThat(vblk1).extracting(GraphNode::kind, GraphNode::device, GraphNode::deviceIothread)
                .containsExactly(NodeKind.BACKEND, "vblk1", null);
        assertThat(byName(s).get("drive1").deviceIothread()).isEqualTo("iothread1");
        assertThat(r.asked).contains(
                "qom-get {\"path\":\"/machine/peripheral/vblk0\",\"property\":\"iothread\"}",
                "qom-get {\"path\":\"/machine/peripheral/vblk1\",\"property\":\"iothread\"}");
    }

    @Test
    void theEnginesReportWinsAndIsNotAssumed() {
        Recording r = Recording.load("chains").answer(BlockStateReader.AIO_CONTEXTS, """
                [{"node-name": "top1", "iothread": "iothread0"}, {"node-name": "#block185", "iothread": "iothread0"},
                 {"node-name": "#block381", "iothread": "iothread0"}, {"node-name": "#block201", "iothread": "iothread0"},
                 {"node-name": "d0", "iothread": null}, {"node-name": "#block096", "iothread": null},
                 {"node-name": "top2", "iothread": null}, {"node-name": "top2-file", "iothread": null},
                 {"node-name": "base2", "iothread": null}, {"node-name": "base2-file", "iothread": null},
                 {"node-name": "null0", "iothread": null}, {"node-name": "raw0", "iothread": null},
                 {"node-name": "raw0-file", "iothread": null}]""");
        BlockState s = read(r);

        assertThat(s.warnings()).isEmpty();
        assertThat(laneOf(s, "iothread0")).containsExactlyInAnyOrder("top1", "#block185", "#block381", "#block201");
        assertThat(laneOf(s, "main-loop")).contains("drive0", "d0", "null0");
        assertThat(s.nodes()).allSatisfy(n -> assertThat(n.placement().assumed()).isFalse());
        assertThat(s.lanes()).noneMatch(Lane::assumed);
        assertThat(s.contextsReported()).isTrue();
        assertThat(r.count("qom-get")).isZero();
    }

    @Test
    void anInconsistentReportIsShownAsItIsAndWarned() {
        Recording r = Recording.load("chains").answer(BlockStateReader.AIO_CONTEXTS, """
                [{"node-name": "top1", "iothread": "iothread0"}, {"node-name": "#block185", "iothread": null}]""");
        BlockState s = read(r);
        assertThat(byName(s).get("top1").placement().iothread()).isEqualTo("iothread0");
        assertThat(byName(s).get("#block185").placement().iothread()).isNull();
        assertThat(s.warnings()).anyMatch(w -> w.contains("spans several AioContexts"));
    }

    @Test
    void aMissingExtensionIsAskedForOnlyOnce() {
        Recording r = Recording.load("chains");
        BlockStateReader reader = new BlockStateReader(r);
        reader.read().join();
        reader.read().join();
        assertThat(r.count(BlockStateReader.AIO_CONTEXTS)).isEqualTo(1);
        assertThat(r.count("query-named-block-nodes")).isEqualTo(2);
    }

    /** What the embedded engine answers before it has block queries. */
    @Test
    void withoutQueryNamedBlockNodesThereIsNoGraphButASentence() {
        BlockState s = read(Recording.load("chains").fail("query-named-block-nodes", "CommandNotFound"));
        assertThat(s.isAvailable()).isFalse();
        assertThat(s.unavailable()).contains("query-named-block-nodes", "CommandNotFound");
        assertThat(s.nodes()).isEmpty();
    }

    @Test
    void withoutTheDebugGraphBackendsStillGetTheirRootEdge() {
        BlockState s = read(Recording.load("chains").fail("x-debug-query-block-graph", "CommandNotFound"));
        assertThat(s.warnings()).anyMatch(w -> w.startsWith("x-debug-query-block-graph failed"));
        assertThat(s.edges()).extracting(GraphEdge::parentKey, GraphEdge::childKey, GraphEdge::role)
                .containsExactly(tuple("backend:drive0", "node:d0", "root"));
        assertThat(s.blockNodes()).hasSize(13);
    }

    @Test
    void devicePathsAndIds() {
        assertThat(BlockStateReader.devicePath("/machine/peripheral/vblk0/virtio-backend")).isEqualTo("/machine/peripheral/vblk0");
        assertThat(BlockStateReader.devicePath("sd0")).isEqualTo("/machine/peripheral/sd0");
        assertThat(BlockStateReader.deviceId("/machine/peripheral/vblk0/virtio-backend")).isEqualTo("vblk0");
        assertThat(BlockStateReader.deviceId("/machine/peripheral-anon/device[0]/virtio-backend"))
                .isEqualTo("/machine/peripheral-anon/device[0]");
        assertThat(BlockStateReader.iothreadId("/objects/iothread1")).isEqualTo("iothread1");
    }
}
