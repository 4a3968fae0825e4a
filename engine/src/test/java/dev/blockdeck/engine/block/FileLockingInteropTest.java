package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.QmpScript;
import dev.blockdeck.testutil.ShortTempDir;

/**
 * QEMU's image locking, both ways, against real qemu-io and QEMU 7.2 processes holding the same file. QEMU uses
 * OFD locks, the engine POSIX record locks on the same bytes; Linux makes the two kinds conflict, so each side
 * sees the other. The engine's side is a backend taking what a guest device takes (write, not sharing write).
 */
class FileLockingInteropTest {
    private static final int CR = BlockPerm.CONSISTENT_READ.bit();
    private static final int W = BlockPerm.WRITE.bit();
    private static final int WU = BlockPerm.WRITE_UNCHANGED.bit();
    private static final int RS = BlockPerm.RESIZE.bit();
    /** What virtio-blk takes and shares. */
    private static final int DEVICE_PERM = CR | W;
    private static final int DEVICE_SHARED = CR | WU | RS;

    private Path dir;

    @BeforeEach
    void setUp() {
        Qemu.requireBinary();
        dir = ShortTempDir.create("bdl");
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        ShortTempDir.delete(dir);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static Result qemuIo(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-io"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    private Path rawImage(String name) throws IOException {
        Path img = dir.resolve(name);
        Files.write(img, new byte[1 << 20]);
        return img;
    }

    private Path qcow2Image(String name) throws IOException, InterruptedException {
        Path img = dir.resolve(name);
        assertThat(run("qemu-img", "create", "-f", "qcow2", img.toString(), "1M").exit()).isZero();
        return img;
    }

    private static void addFileNode(BlockRig rig, String node, Path img) {
        rig.ok("blockdev-add", "{\"driver\": \"file\", \"node-name\": \"" + node + "\", \"filename\": \"" + img
                + "\"}");
    }

    @Test
    void engineWriterKeepsQemuIoWritersOut() throws Exception {
        Path img = rawImage("a.img");
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"file\": {\"driver\": \"file\","
                    + " \"filename\": \"" + img + "\"}}");
            // no user takes anything yet: a bare node locks nothing, as in QEMU
            assertThat(qemuIo("-f", "raw", "-c", "write 0 512", img.toString()).exit()).isZero();

            BlockBackend dev = rig.backend("r", DEVICE_PERM, DEVICE_SHARED);
            Result w = qemuIo("-f", "raw", "-c", "write 0 512", img.toString());
            assertThat(w.exit()).isNotZero();
            assertThat(w.output()).contains("Failed to get \"write\" lock");
            // readers share write, so they may come
            assertThat(qemuIo("-r", "-f", "raw", "-c", "read 0 512", img.toString()).exit()).isZero();

            // the device lets go of write: qemu-io may write again
            rig.onMain(() -> rig.graph.setBackendPerm(dev, CR, BlockPerm.ALL));
            assertThat(qemuIo("-f", "raw", "-c", "write 0 512", img.toString()).exit()).isZero();
            rig.onMain(() -> rig.graph.setBackendPerm(dev, DEVICE_PERM, DEVICE_SHARED));
            assertThat(qemuIo("-f", "raw", "-c", "write 0 512", img.toString()).exit()).isNotZero();

            // closing releases every lock
            rig.onMain(() -> rig.graph.deleteBackend(dev));
            rig.ok("blockdev-del", "{\"node-name\": \"r\"}");
            assertThat(qemuIo("-f", "raw", "-c", "write 0 512", img.toString()).exit()).isZero();
        }
    }

    @Test
    void qemuHoldingAnImageKeepsEngineWritersOut() throws Exception {
        Path img = qcow2Image("q.qcow2");
        try (Qemu q = Qemu.start(); BlockRig rig = new BlockRig()) {
            List<String> t = QmpScript.run(q.socket(), List.of("{\"execute\": \"qmp_capabilities\"}",
                    "{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": \"qcow2\", \"node-name\": \"q\","
                            + " \"file\": {\"driver\": \"file\", \"filename\": \"" + img + "\"}}}"));
            assertThat(t.get(t.size() - 1)).isEqualTo("{\"return\": {}}");

            addFileNode(rig, "f", img);
            // a reader that shares everything is fine next to QEMU's qcow2 (which shares consistent read)
            BlockBackend reader = rig.backend("f", CR, BlockPerm.ALL);
            assertThatThrownBy(() -> rig.backend("f", DEVICE_PERM, DEVICE_SHARED))
                    .isInstanceOf(BlockException.class).hasMessage("Failed to get \"write\" lock");
            assertThatThrownBy(() -> rig.backend("f", CR, CR | WU))
                    .isInstanceOf(BlockException.class).hasMessage("Failed to get shared \"write\" lock");
            assertThat(rig.node("f").parentEdges()).containsExactly(reader.rootEdge());

            List<String> del = QmpScript.run(q.socket(), List.of("{\"execute\": \"qmp_capabilities\"}",
                    "{\"execute\": \"blockdev-del\", \"arguments\": {\"node-name\": \"q\"}}"));
            assertThat(del.get(del.size() - 1)).isEqualTo("{\"return\": {}}");
            rig.backend("f", DEVICE_PERM, DEVICE_SHARED);
        }
    }

    @Test
    void engineWriterKeepsQemuOut() throws Exception {
        Path img = qcow2Image("w.qcow2");
        try (BlockRig rig = new BlockRig(); Qemu q = Qemu.start()) {
            addFileNode(rig, "f", img);
            rig.backend("f", DEVICE_PERM, DEVICE_SHARED);
            List<String> t = QmpScript.run(q.socket(), List.of("{\"execute\": \"qmp_capabilities\"}",
                    "{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": \"qcow2\", \"node-name\": \"q\","
                            + " \"file\": {\"driver\": \"file\", \"filename\": \"" + img + "\"}}}",
                    "{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": \"raw\", \"node-name\": \"r\","
                            + " \"file\": {\"driver\": \"file\", \"filename\": \"" + img + "\"}}}"));
            assertThat(t.get(2)).isEqualTo(
                    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Failed to get \\\"write\\\" lock\"}}");
            // a raw node takes nothing of its file, so QEMU may open it read-write all the same
            assertThat(t.get(3)).isEqualTo("{\"return\": {}}");
        }
    }

    @Test
    void twoNodesOfOneEngineOnOneFile() throws Exception {
        Path img = rawImage("two.img");
        try (BlockRig rig = new BlockRig()) {
            addFileNode(rig, "a", img);
            addFileNode(rig, "b", img);
            rig.backend("a", DEVICE_PERM, DEVICE_SHARED);
            assertThatThrownBy(() -> rig.backend("b", DEVICE_PERM, DEVICE_SHARED))
                    .hasMessage("Failed to get \"write\" lock");
            // closing the other node's descriptor must not drop a's locks (POSIX locks belong to the process)
            rig.ok("blockdev-del", "{\"node-name\": \"b\"}");
            Result w = qemuIo("-f", "raw", "-c", "write 0 512", img.toString());
            assertThat(w.output()).contains("Failed to get \"write\" lock");
        }
    }

    @Test
    void lockingOffTakesNoLocks() throws Exception {
        Path img = rawImage("off.img");
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"file\", \"node-name\": \"f\", \"locking\": \"off\","
                    + " \"filename\": \"" + img + "\"}");
            rig.backend("f", DEVICE_PERM, DEVICE_SHARED);
            assertThat(qemuIo("-f", "raw", "-c", "write 0 512", img.toString()).exit()).isZero();
        }
    }
}
