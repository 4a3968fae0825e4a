package dev.blockdeck.engine.block.driver.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The qcow2 request scheduler with its I/O held at gates: reads and in-place writes of allocated clusters are in
 * flight together at the data path; allocating writes run one at a time; a request behind an allocation sees its
 * result; an operation that remaps a cluster waits for the lock-free I/O on it, and requests after it wait for it.
 */
class Qcow2RequestsTest {
    private static final int CLUSTER = 65536;

    @TempDir
    Path dir;

    private final ExecutorService ctx = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ctx"));
    private final ExecutorService workerPool = Executors.newCachedThreadPool();
    private final AtomicInteger jobsStarted = new AtomicInteger();
    private Thread ctxThread;
    private GatedHostFile host;
    private Qcow2Image img;
    private GatedDataPath data;
    private Qcow2Requests requests;

    @BeforeEach
    void open() throws Exception {
        Path p = dir.resolve("t.qcow2");
        Qcow2Create.Options o = new Qcow2Create.Options();
        o.size = 16L * CLUSTER;
        o.clusterSize = (long) CLUSTER;
        try (FileChannelHostFile f = FileChannelHostFile.create(p)) {
            Qcow2Create.create(f, o);
        }
        ctxThread = ctx.submit(Thread::currentThread).get();
        host = new GatedHostFile(FileChannelHostFile.open(p, false));
        img = Qcow2Image.open(host, new Qcow2Image.Options());
        data = new GatedDataPath(img.hostFile());
        requests = new Qcow2Requests(img, data, r -> {
            if (Thread.currentThread() == ctxThread) {
                r.run();
            } else {
                ctx.execute(r);
            }
        }, job -> workerPool.execute(() -> {
            jobsStarted.incrementAndGet();
            job.run();
        }));
    }

    @AfterEach
    void close() throws Exception {
        host.open();
        data.open();
        img.close();
        ctx.shutdownNow();
        workerPool.shutdownNow();
    }

    private <T> T onCtx(Supplier<T> s) throws Exception {
        return ctx.submit(s::get).get(10, TimeUnit.SECONDS);
    }

    private static ByteBuffer pattern(int len, int seed) {
        ByteBuffer b = ByteBuffer.allocate(len);
        for (int i = 0; i < len; i++) {
            b.put(i, (byte) (seed + i * 13));
        }
        return b;
    }

    private static void await(CompletableFuture<?> f) throws Exception {
        f.get(10, TimeUnit.SECONDS);
    }

    private static void waitUntil(BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    /** Allocates clusters {@code 0..n-1} with a pattern, gates open. */
    private void allocate(int n) throws Exception {
        for (int c = 0; c < n; c++) {
            ByteBuffer b = pattern(CLUSTER, c);
            long at = (long) c * CLUSTER;
            await(onCtx(() -> requests.write(at, b)));
        }
    }

    @Test
    void readsAndInPlaceWritesOfAllocatedClustersAreInFlightTogether() throws Exception {
        allocate(4);
        int jobsBefore = jobsStarted.get();
        data.close();
        ByteBuffer r0 = ByteBuffer.allocate(4096);
        ByteBuffer r1 = ByteBuffer.allocate(4096);
        ByteBuffer w2 = pattern(4096, 99);
        ByteBuffer w3 = pattern(4096, 77);
        List<CompletableFuture<Void>> fs = onCtx(() -> List.of(requests.read(512, r0),
                requests.read(CLUSTER + 1024, r1), requests.write(2L * CLUSTER + 4096, w2),
                requests.write(3L * CLUSTER, w3)));
        waitUntil(() -> data.pending() == 4, "four requests at the data path");
        assertThat(fs).noneMatch(CompletableFuture::isDone);
        assertThat(onCtx(requests::lockHeld)).as("the lock is free while data moves").isFalse();
        assertThat(onCtx(requests::inFlight)).isEqualTo(4);
        assertThat(jobsStarted.get()).as("no job: everything mapped from the cache").isEqualTo(jobsBefore);
        data.open();
        for (CompletableFuture<Void> f : fs) {
            await(f);
        }
        assertThat(r0.array()).isEqualTo(slice(pattern(CLUSTER, 0), 512, 4096));
        assertThat(r1.array()).isEqualTo(slice(pattern(CLUSTER, 1), 1024, 4096));
        ByteBuffer back = ByteBuffer.allocate(4096);
        await(onCtx(() -> requests.read(2L * CLUSTER + 4096, back)));
        assertThat(back.array()).isEqualTo(pattern(4096, 99).array());
        assertThat(onCtx(requests::inFlight)).isZero();
    }

    private static byte[] slice(ByteBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.get(off, out);
        return out;
    }

    @Test
    void allocatingWritesRunOneAtATime() throws Exception {
        host.blockClusterWrites();
        ByteBuffer a = pattern(CLUSTER, 5);
        ByteBuffer b = pattern(CLUSTER, 6);
        CompletableFuture<Void> fa = onCtx(() -> requests.write(5L * CLUSTER, a));
        CompletableFuture<Void> fb = onCtx(() -> requests.write(6L * CLUSTER, b));
        waitUntil(() -> host.blockedWrites() == 1, "the first allocation's data write");
        Thread.sleep(200);
        assertThat(host.blockedWrites()).as("the second allocation waits for the first").isEqualTo(1);
        assertThat(jobsStarted.get()).isEqualTo(1);
        assertThat(fa).isNotDone();
        assertThat(fb).isNotDone();
        host.open();
        await(fa);
        await(fb);
        assertThat(jobsStarted.get()).isEqualTo(2);
        ByteBuffer back = ByteBuffer.allocate(2 * CLUSTER);
        await(onCtx(() -> requests.read(5L * CLUSTER, back)));
        assertThat(slice(back, 0, CLUSTER)).isEqualTo(pattern(CLUSTER, 5).array());
        assertThat(slice(back, CLUSTER, CLUSTER)).isEqualTo(pattern(CLUSTER, 6).array());
    }

    @Test
    void aRequestBehindAnAllocationSeesItsResult() throws Exception {
        host.blockClusterWrites();
        ByteBuffer w = pattern(8192, 3);
        CompletableFuture<Void> fw = onCtx(() -> requests.write(7L * CLUSTER + 8192, w));
        waitUntil(() -> host.blockedWrites() == 1, "the allocation's data write");
        // same bytes, other bytes of the same cluster, and an in-place write elsewhere queue behind it
        ByteBuffer same = ByteBuffer.allocate(8192);
        ByteBuffer other = ByteBuffer.allocate(4096);
        ByteBuffer again = pattern(4096, 8);
        CompletableFuture<Void> f1 = onCtx(() -> requests.read(7L * CLUSTER + 8192, same));
        CompletableFuture<Void> f2 = onCtx(() -> requests.read(7L * CLUSTER, other));
        CompletableFuture<Void> f3 = onCtx(() -> requests.write(7L * CLUSTER + 12288, again));
        Thread.sleep(200);
        assertThat(List.of(fw, f1, f2, f3)).noneMatch(CompletableFuture::isDone);
        assertThat(data.pending()).as("nothing reached the data path half-way").isZero();
        host.open();
        for (CompletableFuture<Void> f : List.of(fw, f1, f2, f3)) {
            await(f);
        }
        assertThat(same.array()).isEqualTo(pattern(8192, 3).array());
        assertThat(other.array()).isEqualTo(new byte[4096]);
        ByteBuffer all = ByteBuffer.allocate(CLUSTER);
        await(onCtx(() -> requests.read(7L * CLUSTER, all)));
        byte[] want = new byte[CLUSTER];
        pattern(8192, 3).get(0, want, 8192, 8192);
        pattern(4096, 8).get(0, want, 12288, 4096);
        assertThat(all.array()).isEqualTo(want);
    }

    @Test
    void remappingWaitsForLockFreeIoOnTheClusterAndLaterRequestsWaitForIt() throws Exception {
        allocate(2);
        int jobsBefore = jobsStarted.get();
        data.close();
        ByteBuffer r = ByteBuffer.allocate(CLUSTER);
        CompletableFuture<Void> fr = onCtx(() -> requests.read(0, r));
        waitUntil(() -> data.pending() == 1, "the read at the data path");
        CompletableFuture<Void> fz = onCtx(() -> requests.writeZeroes(0, CLUSTER, true));
        ByteBuffer w = pattern(4096, 42);
        CompletableFuture<Void> fw = onCtx(() -> requests.write(CLUSTER, w));
        Thread.sleep(200);
        assertThat(jobsStarted.get()).as("the zeroing waits for the read of its cluster").isEqualTo(jobsBefore);
        assertThat(data.pending()).as("the write behind the zeroing waits too").isEqualTo(1);
        assertThat(List.of(fr, fz, fw)).noneMatch(CompletableFuture::isDone);
        data.open();
        await(fr);
        await(fz);
        await(fw);
        assertThat(r.array()).isEqualTo(pattern(CLUSTER, 0).array());
        assertThat(jobsStarted.get()).isEqualTo(jobsBefore + 1);
        ByteBuffer back = ByteBuffer.allocate(2 * CLUSTER);
        await(onCtx(() -> requests.read(0, back)));
        byte[] want = new byte[2 * CLUSTER];
        pattern(CLUSTER, 1).get(0, want, CLUSTER, CLUSTER);
        pattern(4096, 42).get(0, want, CLUSTER, 4096);
        assertThat(back.array()).isEqualTo(want);
    }

    /** The data path, holding every request while closed; the I/O itself goes to the image file. */
    private final class GatedDataPath implements DataPath {
        private final HostFile file;
        private final List<Runnable> held = new ArrayList<>();
        private boolean closed;

        GatedDataPath(HostFile file) {
            this.file = file;
        }

        synchronized void close() {
            closed = true;
        }

        void open() {
            List<Runnable> run;
            synchronized (this) {
                closed = false;
                run = new ArrayList<>(held);
                held.clear();
            }
            run.forEach(Runnable::run);
        }

        synchronized int pending() {
            return held.size();
        }

        private interface Io {
            void run() throws IOException;
        }

        private CompletableFuture<Void> io(Io op) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            Runnable r = () -> ctx.execute(() -> {
                try {
                    op.run();
                    f.complete(null);
                } catch (IOException e) {
                    f.completeExceptionally(e);
                }
            });
            synchronized (this) {
                if (closed) {
                    held.add(r);
                    return f;
                }
            }
            r.run();
            return f;
        }

        @Override
        public CompletableFuture<Void> readFile(long at, ByteBuffer dst) {
            return io(() -> file.read(at, dst));
        }

        @Override
        public CompletableFuture<Void> writeFile(long at, ByteBuffer src) {
            return io(() -> file.write(at, src));
        }

        @Override
        public CompletableFuture<Void> readBacking(long offset, ByteBuffer dst) {
            return io(() -> {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
            });
        }
    }

    /** The core's file, able to hold whole-cluster writes (an allocation's data) until opened. */
    private static final class GatedHostFile implements HostFile {
        private final HostFile f;
        private volatile CountDownLatch gate;
        private final AtomicInteger blocked = new AtomicInteger();

        GatedHostFile(HostFile f) {
            this.f = f;
        }

        void blockClusterWrites() {
            gate = new CountDownLatch(1);
        }

        void open() {
            CountDownLatch g = gate;
            if (g != null) {
                g.countDown();
            }
        }

        int blockedWrites() {
            return blocked.get();
        }

        @Override
        public void read(long pos, ByteBuffer dst) throws IOException {
            f.read(pos, dst);
        }

        @Override
        public void write(long pos, ByteBuffer src) throws IOException {
            CountDownLatch g = gate;
            if (g != null && src.remaining() == CLUSTER) {
                blocked.incrementAndGet();
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            f.write(pos, src);
        }

        @Override
        public void flush() throws IOException {
            f.flush();
        }

        @Override
        public long length() throws IOException {
            return f.length();
        }

        @Override
        public void truncate(long size) throws IOException {
            f.truncate(size);
        }

        @Override
        public void close() throws IOException {
            f.close();
        }
    }
}
