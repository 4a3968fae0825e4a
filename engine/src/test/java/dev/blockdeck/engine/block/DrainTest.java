package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.blockdeck.engine.aio.IoThread;

/** Drained sections: nesting, requests held while drained, waiting for in-flight requests. */
class DrainTest {
    private static final int RW = BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE);

    private static void settle() throws InterruptedException {
        Thread.sleep(50);
    }

    @Test
    void nestedSectionsHoldRequestsUntilTheOutermostEnds() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            IoThread io0 = rig.iothread("io0");
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"n\", \"size\": 1048576}");
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"n\", \"iothread\": \"io0\"}");
            BlockNode n = rig.node("n");
            BlockBackend blk = rig.backend("n", RW, BlockPerm.ALL);
            assertThat(blk.aioContext()).isSameAs(io0.context());

            rig.onMain(() -> rig.graph.drainedBegin(n));
            rig.onMain(() -> rig.graph.drainedBegin(n));
            assertThat(n.quiesceCounter()).isEqualTo(2);
            assertThat(blk.quiesceCounter()).isEqualTo(2);

            List<CompletableFuture<Void>> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                held.add(blk.pwrite(i * 512L, ByteBuffer.allocate(512), 0));
            }
            held.add(blk.flush());
            settle();
            assertThat(held).noneMatch(CompletableFuture::isDone);
            assertThat(blk.queuedRequests()).isEqualTo(6);
            assertThat(blk.inFlight()).isZero();

            rig.onMain(() -> rig.graph.drainedEnd(n));
            settle();
            assertThat(held).as("still inside the outer section").noneMatch(CompletableFuture::isDone);

            rig.onMain(() -> rig.graph.drainedEnd(n));
            for (CompletableFuture<Void> f : held) {
                BlockRig.await(f);
            }
            assertThat(blk.queuedRequests()).isZero();
            assertThat(n.quiesceCounter()).isZero();
            assertThat(blk.quiesceCounter()).isZero();
            assertThat(blk.stats().snapshot().ops(BlockAcctStats.Type.WRITE)).isEqualTo(5);
        }
    }

    @Test
    void drainedBeginWaitsForRequestsInFlight() {
        try (BlockRig rig = new BlockRig()) {
            rig.iothread("io0");
            // every request takes 300 ms in the node's context
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"n\", \"latency-ns\": 300000000}");
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"n\", \"iothread\": \"io0\"}");
            BlockNode n = rig.node("n");
            BlockBackend blk = rig.backend("n", RW, BlockPerm.ALL);
            CompletableFuture<Void> slow = blk.pread(0, ByteBuffer.allocate(4096));
            while (blk.inFlight() == 0) {
                Thread.onSpinWait();
            }
            boolean doneWhenDrained = rig.onMain(() -> {
                rig.graph.drainedBegin(n);
                boolean d = slow.isDone();
                rig.graph.drainedEnd(n);
                return d;
            });
            assertThat(doneWhenDrained).isTrue();
            assertThat(n.inFlight()).isZero();
        }
    }

    @Test
    void draining_a_child_quiesces_every_backend_above_it() {
        try (BlockRig rig = new BlockRig()) {
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"file\": {\"driver\": \"null-co\","
                    + " \"node-name\": \"n\"}}");
            BlockBackend a = rig.backend("r", BlockPerm.CONSISTENT_READ.bit(), BlockPerm.ALL);
            BlockBackend b = rig.backend("n", BlockPerm.CONSISTENT_READ.bit(), BlockPerm.ALL);
            BlockNode n = rig.node("n");
            rig.onMain(() -> rig.graph.drainedBegin(n));
            assertThat(a.quiesceCounter()).isEqualTo(1);
            assertThat(b.quiesceCounter()).isEqualTo(1);
            assertThat(rig.node("r").quiesceCounter()).isEqualTo(1);
            CompletableFuture<Void> r = a.pread(0, ByteBuffer.allocate(512));
            assertThat(r).isNotDone();
            rig.onMain(() -> rig.graph.drainedEnd(n));
            BlockRig.await(r);
        }
    }
}
