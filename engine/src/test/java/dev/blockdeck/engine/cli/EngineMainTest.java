package dev.blockdeck.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.testutil.ShortTempDir;

/** The launcher's exit codes and messages, and the security rules for its sockets. */
class EngineMainTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome capture(Callable<Integer> run) throws Exception {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = run.call();
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void badOptionExitsOneWithQemuShapedMessage() throws Exception {
        Outcome o = capture(() -> EngineMain.run(List.of("-nodefaults", "-bogus")));
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).isEqualTo("blockdeck-engine: -bogus: invalid option\n");
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        Outcome help = capture(() -> EngineMain.run(List.of("--help")));
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("-qmp unix:PATH,server=on,wait=off").contains("--allow-remote-qmp");
        Outcome version = capture(() -> EngineMain.run(List.of("--version")));
        assertThat(version.code()).isZero();
        assertThat(version.out()).contains("QEMU 7.2");
        Outcome machines = capture(() -> EngineMain.run(List.of("-M", "help")));
        assertThat(machines.out()).contains("none").contains("q35");
    }

    @Test
    void unixSocketIsPrivateAndGoneAfterClose() throws Exception {
        Path dir = ShortTempDir.create("bdm");
        Path sock = dir.resolve("q.sock");
        try (Engine e = Engine.start(List.of("-qmp", "unix:" + sock + ",server=on,wait=off"))) {
            assertThat(Files.getPosixFilePermissions(sock))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(e.unixSockets()).containsExactly(sock);
        } finally {
            assertThat(sock).doesNotExist();
            ShortTempDir.delete(dir);
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path dir = ShortTempDir.create("bdm");
        Path sock = dir.resolve("q.sock");
        try {
            // a crashed process leaves its socket file behind: bind one and close it without unlinking
            try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                ch.bind(java.net.UnixDomainSocketAddress.of(sock));
            }
            assertThat(sock).exists();
            try (Engine second = Engine.start(List.of("-qmp", "unix:" + sock + ",server=on,wait=off"))) {
                assertThat(second.unixSockets()).containsExactly(sock);
            }
        } finally {
            ShortTempDir.delete(dir);
        }
    }

    @Test
    void missingSocketDirectoryFailsLikeQemu() throws Exception {
        Outcome o = capture(() -> EngineMain.run(List.of("-qmp", "unix:/nonexistent-dir/x,server=on,wait=off")));
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).isEqualTo("blockdeck-engine: -qmp unix:/nonexistent-dir/x,server=on,wait=off: "
                + "Failed to bind socket to /nonexistent-dir/x: No such file or directory\n");
    }

    @Test
    void remoteTcpIsRefusedUnlessAllowed() throws Exception {
        Outcome o = capture(() -> EngineMain.run(List.of("-qmp", "tcp:0.0.0.0:0,server=on,wait=off")));
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("refusing to listen on non-loopback address 0.0.0.0")
                .contains("--allow-remote-qmp");
        try (Engine e = Engine.start(List.of("-qmp", "tcp:0.0.0.0:0,server=on,wait=off", "--allow-remote-qmp"))) {
            assertThat(e.tcpSockets()).hasSize(1);
        }
        try (Engine e = Engine.start(List.of("-qmp", "tcp:127.0.0.1:0,server=on,wait=off"))) {
            assertThat(e.tcpSockets().get(0).getPort()).isPositive();
        }
    }

    @Test
    void waitOnHoldsStartUpUntilAClientConnects() throws Exception {
        Path dir = ShortTempDir.create("bdw");
        Path sock = dir.resolve("w.sock");
        java.util.concurrent.CompletableFuture<Engine> started = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Engine.start(List.of("-qmp", "unix:" + sock + ",server=on,wait=on"));
            } catch (EngineStartException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            while (!Files.exists(sock)) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            assertThat(started).isNotDone();
            try (var client = dev.blockdeck.testutil.RawQmpConnection.open(sock)) {
                assertThat(client.readLine(5000)).startsWith("{\"QMP\"");
                try (Engine e = started.get(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    assertThat(e.unixSockets()).containsExactly(sock);
                }
            }
        } finally {
            ShortTempDir.delete(dir);
        }
    }

    @Test
    void devicesNeedABusAndUnknownGlobalsAreRefusedNotIgnored() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Engine.start(List.of("-device", "virtio-blk-pci")))
                .isInstanceOf(EngineStartException.class)
                .hasMessage("blockdeck-engine: -device virtio-blk-pci: No 'PCI' bus found for device 'virtio-blk-pci'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Engine.start(List.of("-M", "q35", "-global",
                        "isa-fdc.driveA=x")))
                .isInstanceOf(EngineStartException.class).hasMessageContaining("not supported by this engine");
    }
}
