package dev.blockdeck.engine.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.guest.GuestDisk;

/**
 * Threading is checked, not assumed: the requests a guest puts on a virtio-blk-pci queue reach the device's nodes on
 * the thread of the device's AioContext and complete there, before and after live moves (iothread to iothread, to
 * the main loop, back), including requests that were waiting on the queue or in flight when the move began.
 */
class DeviceThreadingTest {
    @TempDir
    Path dir;

    /** Every thread a node's requests entered or completed on, and whether that was always its context's. */
    private static final class Seen implements BlockNode.RequestObserver {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final Set<String> outside = ConcurrentHashMap.newKeySet();

        @Override
        public void request(BlockNode node, String op, long offset, long bytes) {
            note(node, op);
        }

        @Override
        public void completed(BlockNode node, String op) {
            note(node, op + " completion");
        }

        private void note(BlockNode node, String what) {
            threads.add(Thread.currentThread().getName());
            if (!node.aioContext().inThread()) {
                outside.add(node.name() + " " + what + " on " + Thread.currentThread().getName());
            }
        }

        void reset() {
            threads.clear();
            outside.clear();
        }
    }

    /** Writes then reads {@code n} blocks from this (foreign) thread through the device's queue. */
    private static void io(GuestDisk disk, int n) throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(disk.write(i * 4096L, ByteBuffer.allocate(4096)));
        }
        for (int i = 0; i < n; i++) {
            all.add(disk.read(i * 4096L, ByteBuffer.allocate(4096)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void nodeRequestsRunOnTheDevicesContextBeforeAndAfterLiveMoves() throws Exception {
        Path img = dir.resolve("t.img");
        Files.write(img, new byte[1 << 20]);
        try (DeviceRig rig = new DeviceRig()) {
            rig.ok("object-add", "{\"qom-type\": \"iothread\", \"id\": \"io0\"}");
            rig.ok("object-add", "{\"qom-type\": \"iothread\", \"id\": \"io1\"}");
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"file\": {\"driver\": \"file\","
                    + " \"node-name\": \"f\", \"filename\": \"" + img + "\"}}");
            VirtioBlkPci dev = rig.device(Map.of("driver", "virtio-blk-pci", "drive", "r", "id", "vd0",
                    "iothread", "io0"));
            GuestDisk disk = rig.devices.guestDisk("vd0").orElseThrow();
            Seen seen = new Seen();
            rig.node("r").setRequestObserver(seen);
            rig.node("f").setRequestObserver(seen);

            io(disk, 16);
            assertThat(seen.threads).containsExactly("IO io0");
            assertThat(seen.outside).isEmpty();

            // requests submitted while the move drains and commits: they wait on the queue or in flight
            for (String target : new String[] {"io1", null, "io0"}) {
                seen.reset();
                List<CompletableFuture<Void>> burst = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    burst.add(disk.write(i * 4096L, ByteBuffer.allocate(4096)));
                }
                rig.ok(DeviceCommands.SET_IOTHREAD, "{\"id\": \"vd0\", \"iothread\": "
                        + (target == null ? "null" : "\"" + target + "\"") + "}");
                CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                assertThat(seen.outside).as("requests outside their node's context").isEmpty();
                String expected = target == null ? "main-loop" : "IO " + target;
                assertThat(rig.onMain(() -> rig.node("f").aioContext().name()))
                        .isEqualTo(target == null ? "main-loop" : target);
                assertThat(disk.context().name()).isEqualTo(target == null ? "main-loop" : target);

                seen.reset();
                io(disk, 16);
                assertThat(seen.threads).containsExactly(expected);
                assertThat(seen.outside).isEmpty();
            }
            assertThat(dev.dataplaneActive()).isTrue();
        }
    }

    @Test
    void aDrainHoldsTheQueueAndItsEndResumesIt() throws Exception {
        try (DeviceRig rig = new DeviceRig()) {
            rig.ok("object-add", "{\"qom-type\": \"iothread\", \"id\": \"io0\"}");
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"n\"}");
            rig.device(Map.of("driver", "virtio-blk-pci", "drive", "n", "id", "vd0", "iothread", "io0"));
            GuestDisk disk = rig.devices.guestDisk("vd0").orElseThrow();
            BlockNode n = rig.node("n");
            rig.onMain(() -> {
                rig.graph.drainedBegin(n);
                return null;
            });
            CompletableFuture<Void> w = disk.write(0, ByteBuffer.allocate(512));
            Thread.sleep(100);
            assertThat(w).as("no request leaves the queue while its drive is drained").isNotDone();
            assertThat(n.inFlight()).isZero();
            rig.onMain(() -> {
                rig.graph.drainedEnd(n);
                return null;
            });
            w.get(5, TimeUnit.SECONDS);
        }
    }
}
