package dev.blockdeck.engine.img;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;

import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.HostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;
import dev.blockdeck.engine.block.driver.qcow2.WholeClusters;

/**
 * One {@code img bench} run: {@code depth} requests (at most 64, QEMU's thread pool size) kept in flight by as many
 * submitter threads, each taking the next request number and doing its own positional I/O, with no hand-off
 * between threads per request (what a thread pool would cost where QEMU has Linux AIO).
 *
 * <p>Nothing is shared per request but the request counter and the read side of {@code gate}: each submitter has
 * a descriptor of its own ({@link FileChannelHostFile#reopen}) and maps its request through
 * {@link MappedClusters} without the image's lock. The image core is single-threaded: what it must do itself
 * takes {@code core}; a write it must do (allocation, copy-on-write) and a flush also take the write side of the
 * gate, so that they run with no data I/O in flight. Reads it must do (unallocated, zero, compressed, backing)
 * change no mapping and run beside the data I/O, as in QEMU.
 */
final class BenchRun implements Closeable {
    /** What qemu-img bench's options ask for. {@code size} is the image's, {@code count} requests in all. */
    record Workload(boolean write, long count, int depth, long start, long step, int bufSize, byte pattern,
            long flushInterval, long size) {
        long offset(long n) {
            return n == 0 || size <= 0 ? start + n * step : (start + n * step) % size;
        }
    }

    private final BlockImage img;
    private final Qcow2Image q;
    private final int clusterBits;
    private final Workload w;
    private final Object core = new Object();
    private final StampedLock gate = new StampedLock();
    private final MappedClusters mapped;
    private final AtomicLong next = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch go = new CountDownLatch(1);
    private final CountDownLatch ready;
    private final List<HostFile> files = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Opens the submitters' descriptors and starts them; they get their buffers ready and wait for {@link #run}. */
    BenchRun(BlockImage img, Workload w) throws IOException {
        this.img = img;
        this.q = img.qcow2;
        this.clusterBits = q != null ? Integer.numberOfTrailingZeros(q.clusterSize()) : 0;
        this.w = w;
        this.mapped = q != null ? new MappedClusters(q, core) : null;
        int n = Math.min(w.depth(), 64);
        this.ready = new CountDownLatch(n);
        try {
            for (int i = 0; i < n; i++) {
                files.add(img.file instanceof FileChannelHostFile f ? f.reopen() : img.file);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        for (int i = 0; i < n; i++) {
            HostFile f = files.get(i);
            Thread t = new Thread(() -> submit(f), "bench-io-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted", e);
        }
    }

    /** Lets the submitters go and waits until every request is done. */
    void run() throws IOException, InterruptedException {
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw t instanceof IOException io ? io : new IOException(t);
        }
    }

    private void submit(HostFile file) {
        try {
            ByteBuffer buf;
            try {
                // the buffer is ready before the clock starts, as qemu-img's is
                buf = ByteBuffer.allocateDirect(w.bufSize() + 4096).alignedSlice(4096).limit(w.bufSize());
                if (w.write()) {
                    byte[] p = new byte[w.bufSize()];
                    Arrays.fill(p, w.pattern());
                    buf.put(0, p);
                }
            } finally {
                ready.countDown();
            }
            go.await();
            for (long n = next.getAndIncrement(); n < w.count() && failure.get() == null; n = next.getAndIncrement()) {
                request(file, w.offset(n), buf.clear().limit(w.bufSize()));
                if (w.flushInterval() > 0 && (n + 1) % w.flushInterval() == 0) {
                    alone(() -> img.flush());
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private void request(HostFile file, long off, ByteBuffer b) throws IOException {
        int len = b.remaining();
        if (off < 0 || off > w.size() - len) {
            // the block backend's check, before any driver: EIO, as in QEMU
            throw new Qcow2Exception(Qcow2Exception.Kind.IO, "Request beyond the end of the image");
        }
        long stamp = gate.readLock();
        try {
            if (direct(file, off, b)) {
                return;
            }
            if (!w.write()) {
                synchronized (core) {
                    img.read(off, b);
                }
                return;
            }
        } finally {
            gate.unlockRead(stamp);
        }
        alone(() -> {
            img.write(off, b);
            if (mapped != null && len > 0) {
                mapped.refresh(off >>> clusterBits, (off + len - 1) >>> clusterBits);
            }
        });
    }

    /** Does the request straight on the image file if all of it is plain data there (in place, for a write). */
    private boolean direct(HostFile file, long off, ByteBuffer b) throws IOException {
        if (q == null) {
            io(file, off, b);
            return true;
        }
        int len = b.remaining();
        if (len == 0) {
            return false;
        }
        int bits = clusterBits;
        long first = off >>> bits;
        long last = (off + len - 1) >>> bits;
        for (long g = first; g <= last; g++) {
            long a = mapped.answer(g);
            if (a == WholeClusters.NOT_DATA || (w.write() && (a & WholeClusters.IN_PLACE) == 0)) {
                return false;
            }
        }
        long mask = (1L << bits) - 1;
        int done = 0;
        for (long g = first; g <= last; g++) {
            // one I/O per run of clusters that follow each other on the host too
            long host = (mapped.answer(g) & ~WholeClusters.IN_PLACE) + ((off + done) & mask);
            int n = (int) Math.min(len - done, (1L << bits) - ((off + done) & mask));
            while (g < last && mapped.answer(g + 1) >>> bits == (mapped.answer(g) >>> bits) + 1) {
                g++;
                n = (int) Math.min(len - done, n + (1L << bits));
            }
            io(file, host, n == len ? b : b.slice(b.position() + done, n));
            done += n;
        }
        b.position(b.limit());
        return true;
    }

    private void io(HostFile file, long host, ByteBuffer b) throws IOException {
        if (w.write()) {
            file.write(host, b);
        } else {
            file.read(host, b);
        }
    }

    private interface CoreCall {
        void run() throws IOException;
    }

    /** Runs {@code call} with no data I/O in flight and the core to itself. */
    private void alone(CoreCall call) throws IOException {
        long stamp = gate.writeLock();
        try {
            synchronized (core) {
                call.run();
            }
        } finally {
            gate.unlockWrite(stamp);
        }
    }

    @Override
    public void close() throws IOException {
        failure.compareAndSet(null, new IOException("bench closed"));
        go.countDown();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (HostFile f : files) {
            if (f != img.file) {
                f.close();
            }
        }
        files.clear();
    }
}
