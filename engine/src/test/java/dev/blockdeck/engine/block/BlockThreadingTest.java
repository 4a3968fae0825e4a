package dev.blockdeck.engine.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.aio.IoThread;

/**
 * Threading is checked, not assumed: every request of a node runs on its AioContext's thread, before and after
 * x-blockdev-set-iothread moves it, and completions come back there; a move while requests are in flight waits
 * for them (drain) and loses none.
 */
class BlockThreadingTest {
    @TempDir
    Path dir;

    /** Where each request entered the node and where its completion ran. */
    private record Seen(String requestThread, boolean requestInContext, String completionThread,
                        boolean completionInContext) {
    }

    private static Seen readOnNode(BlockRig rig, BlockNode node) {
        AioContext ctx = rig.onMain(node::aioContext);
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        String[] reqThread = new String[1];
        boolean[] reqIn = new boolean[1];
        node.setRequestObserver((n, op, off, len) -> {
            reqThread[0] = Thread.currentThread().getName();
            reqIn[0] = n.aioContext().inThread();
        });
        ctx.execute(() -> node.preadv(null, 0, ByteBuffer.allocate(4096), 0).whenComplete((v, e) -> {
            if (e != null) {
                seen.completeExceptionally(e);
            } else {
                seen.complete(new Seen(reqThread[0], reqIn[0], Thread.currentThread().getName(),
                        node.aioContext().inThread()));
            }
        }));
        Seen s = BlockRig.await(seen);
        node.setRequestObserver(null);
        return s;
    }

    @Test
    void nodeRequestsRunOnTheirContextBeforeAndAfterAMove() throws Exception {
        Path img = dir.resolve("t.img");
        Files.write(img, new byte[1 << 20]);
        try (BlockRig rig = new BlockRig()) {
            IoThread io0 = rig.iothread("io0");
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"file\": {\"driver\": \"file\","
                    + " \"node-name\": \"f\", \"filename\": \"" + img + "\"}}");
            BlockNode r = rig.node("r");
            BlockNode f = rig.node("f");

            Seen before = readOnNode(rig, r);
            assertThat(before.requestThread()).isEqualTo("main-loop");
            assertThat(before.requestInContext()).isTrue();
            assertThat(before.completionThread()).isEqualTo("main-loop");

            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"r\", \"iothread\": \"io0\"}");
            assertThat(rig.onMain(r::aioContext)).isSameAs(io0.context());
            assertThat(rig.onMain(f::aioContext)).as("the whole component moves").isSameAs(io0.context());
            Seen after = readOnNode(rig, r);
            assertThat(after.requestThread()).isEqualTo("IO io0");
            assertThat(after.requestInContext()).isTrue();
            assertThat(after.completionThread()).as("file I/O completes back on the context").isEqualTo("IO io0");
            assertThat(after.completionInContext()).isTrue();
            Seen child = readOnNode(rig, f);
            assertThat(child.requestThread()).isEqualTo("IO io0");

            // moving the child moves the parent too
            IoThread io1 = rig.iothread("io1");
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"f\", \"iothread\": \"io1\"}");
            assertThat(rig.onMain(r::aioContext)).isSameAs(io1.context());
            assertThat(readOnNode(rig, r).requestThread()).isEqualTo("IO io1");

            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"r\", \"iothread\": null}");
            assertThat(readOnNode(rig, r).requestThread()).isEqualTo("main-loop");
            assertThat(rig.onMain(() -> rig.graph.usesContext(io1.context()))).isFalse();
        }
    }

    @Test
    void nullCoLatencyTimerFiresInTheNodesContext() {
        try (BlockRig rig = new BlockRig()) {
            rig.iothread("io0");
            rig.ok("blockdev-add", "{\"driver\": \"null-co\", \"node-name\": \"n\", \"latency-ns\": 2000000}");
            rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"n\", \"iothread\": \"io0\"}");
            Seen s = readOnNode(rig, rig.node("n"));
            assertThat(s.requestThread()).isEqualTo("IO io0");
            assertThat(s.completionThread()).isEqualTo("IO io0");
        }
    }

    /**
     * A backend (here an internal one that may follow its node, as jobs' backends do) keeps issuing writes and
     * reads from another thread while the main loop moves the component back and forth between the main loop and
     * two IOThreads: every request completes, on the backend's context thread of the moment, and the data is all
     * there afterwards.
     */
    @Test
    void movingWhileRequestsAreInFlightLosesNothing() throws Exception {
        Path img = dir.resolve("m.img");
        int blocks = 256;
        int bs = 4096;
        Files.write(img, new byte[blocks * bs]);
        try (BlockRig rig = new BlockRig()) {
            IoThread io0 = rig.iothread("io0");
            IoThread io1 = rig.iothread("io1");
            rig.ok("blockdev-add", "{\"driver\": \"raw\", \"node-name\": \"r\", \"file\": {\"driver\": \"file\","
                    + " \"filename\": \"" + img + "\"}}");
            BlockBackend blk = rig.backend("r", BlockPerm.mask(BlockPerm.CONSISTENT_READ, BlockPerm.WRITE),
                    BlockPerm.ALL);
            blk.setAllowContextChange(true);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger wrongThread = new AtomicInteger();
            AtomicInteger nodeRequests = new AtomicInteger();
            BlockNode.RequestObserver watch = new BlockNode.RequestObserver() {
                @Override
                public void request(BlockNode n, String op, long offset, long bytes) {
                    nodeRequests.incrementAndGet();
                    if (!n.aioContext().inThread()) {
                        wrongThread.incrementAndGet();
                    }
                }

                @Override
                public void completed(BlockNode n, String op) {
                    if (!n.aioContext().inThread()) {
                        wrongThread.incrementAndGet();
                    }
                }
            };
            BlockNode raw = rig.node("r");
            raw.setRequestObserver(watch);
            raw.file().node().setRequestObserver(watch);
            ConcurrentLinkedQueue<CompletableFuture<Void>> all = new ConcurrentLinkedQueue<>();
            Thread client = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    int block = i % blocks;
                    all.add(blk.pwrite((long) block * bs, BlockRig.pattern(bs, i), 0));
                    all.add(blk.pread((long) ((i * 7) % blocks) * bs, ByteBuffer.allocate(bs)));
                    i++;
                    if (all.size() > 2000) {
                        // keep the queue bounded: wait for the oldest ones
                        for (int k = 0; k < 200; k++) {
                            CompletableFuture<Void> f = all.poll();
                            if (f != null) {
                                BlockRig.await(f);
                            }
                        }
                    }
                }
            }, "io-client");
            client.start();
            String[] targets = {"\"io0\"", "\"io1\"", "null"};
            AioContext[] contexts = {io0.context(), io1.context(), rig.graph.mainContext()};
            for (int round = 0; round < 30; round++) {
                int t = round % 3;
                rig.ok("x-blockdev-set-iothread", "{\"node-name\": \"r\", \"iothread\": " + targets[t]
                        + ", \"force\": true}");
                assertThat(blk.aioContext()).isSameAs(contexts[t]);
                Thread.sleep(5);
            }
            stop.set(true);
            client.join();
            List<Throwable> failures = new ArrayList<>();
            int done = 0;
            for (CompletableFuture<Void> f : all) {
                try {
                    BlockRig.await(f);
                    done++;
                } catch (AssertionError e) {
                    failures.add(e);
                }
            }
            assertThat(failures).isEmpty();
            assertThat(done).isGreaterThan(100);
            assertThat(wrongThread.get()).as("requests or completions outside the node's context").isZero();
            assertThat(nodeRequests.get()).isGreaterThanOrEqualTo(2 * done);
            // a request stops counting as in flight just after its future's callbacks ran (QEMU's order), so the
            // count is checked once a drain has waited for the last of them
            rig.onMain(() -> rig.graph.drainBackend(blk));
            assertThat(blk.inFlight()).isZero();

            // every block holds the last pattern written to it
            for (int block = 0; block < blocks; block++) {
                ByteBuffer got = ByteBuffer.allocate(bs);
                BlockRig.await(blk.pread((long) block * bs, got));
                assertThat(got.get(0) != 0 || got.get(1) != 0 || got.get(2) != 0).as("block %d written", block)
                        .isTrue();
            }
        }
    }
}
