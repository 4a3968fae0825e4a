package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.blockdeck.engine.aio.IoThread;

/**
 * A request's completion callback runs while the request still counts as in flight (QEMU calls the callback,
 * then drops the in-flight count), so a drain, and a context move, wait for the callback instead of racing it.
 */
class BackendCompletionDrainTest {
    @Test
    void aDrainWaitsForTheCompletionCallback() throws Exception {
        try (BlockRig rig = new BlockRig()) {
            IoThread io0 = rig.iothread("io0");
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"n\", \"size\": 1048576, "
                    + "\"latency-ns\": 20000000}");
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"n\", \"iothread\": \"io0\"}");
            BlockBackend blk = rig.backend("n", BlockPerm.CONSISTENT_READ.bit(), BlockPerm.ALL);
            BlockNode n = rig.node("n");

            CountDownLatch callbackStarted = new CountDownLatch(1);
            AtomicBoolean callbackDone = new AtomicBoolean();
            io0.context().execute(() -> blk.pread(0, ByteBuffer.allocate(512)).whenComplete((v, e) -> {
                callbackStarted.countDown();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                callbackDone.set(true);
            }));
            assertThat(callbackStarted.await(10, TimeUnit.SECONDS)).isTrue();
            boolean doneWhenDrained = rig.onMain(() -> {
                rig.graph.drainedBegin(n);
                boolean done = callbackDone.get();
                rig.graph.drainedEnd(n);
                return done;
            });
            assertThat(doneWhenDrained).isTrue();
        }
    }
}
