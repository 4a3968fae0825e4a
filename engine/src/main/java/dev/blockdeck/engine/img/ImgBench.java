package dev.blockdeck.engine.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/**
 * {@code img bench}: qemu-img bench's options and output. Metadata lookups go through the single-threaded core one
 * at a time; data I/O for mapped clusters runs on up to 64 submitter threads, keeping {@code depth} requests in
 * flight (see {@link #runRequests}). {@code -i native} runs the same way (Java has no Linux AIO) but, as in QEMU,
 * requires {@code -t none}.
 */
final class ImgBench {
    private final PrintStream out;
    private final PrintStream err;

    ImgBench(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) {
        ImgMain.Args a = ImgMain.Args.parse(argv, "cdfiosStT", "nqUw", List.of("pattern", "flush-interval",
                "object", "image-opts"), List.of("no-drain", "force-share"));
        if (a.positional.size() != 1) {
            throw new ImgMain.UsageError("Expecting one image file name");
        }
        String filename = a.positional.get(0);
        int count = 75000;
        int depth = 64;
        long offset = 0;
        int bufSize = 4096;
        long step = 0;
        int pattern = 0;
        long flushInterval = 0;
        String cache = "writeback";
        String aio = "threads";
        boolean write = a.has("-w");
        boolean quiet = a.has("-q");
        try {
            if (a.get("-c") != null) {
                count = Integer.parseInt(a.get("-c"));
                if (count < 1) {
                    err.println(ImgMain.PROG + ": Invalid request count specified");
                    return 1;
                }
            }
            if (a.get("-d") != null) {
                depth = Integer.parseInt(a.get("-d"));
                if (depth < 1 || depth > 4096) {
                    err.println(ImgMain.PROG + ": Invalid queue depth specified");
                    return 1;
                }
            }
            if (a.get("-o") != null) {
                offset = ImgUtil.parseSize(a.get("-o"));
            }
            if (a.get("-s") != null) {
                bufSize = (int) ImgUtil.parseSize(a.get("-s"));
                if (bufSize <= 0) {
                    err.println(ImgMain.PROG + ": Invalid buffer size specified");
                    return 1;
                }
            }
            if (a.get("-S") != null) {
                step = ImgUtil.parseSize(a.get("-S"));
            }
            if (a.get("--pattern") != null) {
                pattern = Integer.parseInt(a.get("--pattern"));
                if (pattern < 0 || pattern > 0xff) {
                    err.println(ImgMain.PROG + ": Invalid pattern byte specified");
                    return 1;
                }
            }
            if (a.get("--flush-interval") != null) {
                flushInterval = Long.parseLong(a.get("--flush-interval"));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            err.println(ImgMain.PROG + ": Invalid number: " + e.getMessage());
            return 1;
        }
        if (a.get("-t") != null) {
            cache = a.get("-t");
        }
        if (a.has("-n")) {
            cache = "none";
            aio = "native";
        }
        if (a.get("-i") != null) {
            aio = a.get("-i");
        }
        boolean direct;
        boolean writeThrough;
        switch (cache) {
            case "none" -> {
                direct = true;
                writeThrough = false;
            }
            case "writeback" -> {
                direct = false;
                writeThrough = false;
            }
            case "writethrough" -> {
                direct = false;
                writeThrough = true;
            }
            case "directsync" -> {
                direct = true;
                writeThrough = true;
            }
            case "unsafe" -> {
                direct = false;
                writeThrough = false;
            }
            default -> {
                err.println(ImgMain.PROG + ": Invalid cache mode");
                return 1;
            }
        }
        if (!aio.equals("threads") && !aio.equals("native")) {
            err.println(ImgMain.PROG + ": Invalid aio option: " + aio);
            return 1;
        }
        if (aio.equals("native") && !direct) {
            err.println(ImgMain.PROG + ": Could not open '" + filename + "': aio=native was specified, but it "
                    + "requires cache.direct=on, which was not specified.");
            return 1;
        }
        if (step == 0) {
            step = bufSize;
        }
        try (BlockImage img = BlockImage.open(Path.of(filename), a.get("-f"), !write, direct, writeThrough,
                null)) {
            long size = img.size();
            if (!quiet) {
                out.printf("Sending %d %s requests, %d bytes each, %d in parallel (starting at offset %d, step size "
                        + "%d)%n", count, write ? "write" : "read", bufSize, depth, offset, step);
                if (flushInterval > 0) {
                    out.printf("Sending flush every %d requests%n", flushInterval);
                }
            }
            long t0 = System.nanoTime();
            runRequests(img, write, count, depth, offset, step, bufSize, (byte) pattern, flushInterval, size,
                    direct);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (!quiet) {
                out.printf("Run completed in %3.3f seconds.%n", secs);
            }
            return 0;
        } catch (IOException e) {
            err.println(ImgMain.PROG + ": " + ImgMain.ioMessage(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Keeps {@code depth} requests (at most 64, QEMU's thread pool size) in flight with as many submitter threads,
     * each taking the next request number and doing its own positional I/O: no hand-off between threads per
     * request, which is what a thread pool costs where QEMU has Linux AIO. The image core is single-threaded:
     * mapping goes through it one thread at a time, and a request the core must do itself (allocation,
     * copy-on-write, backing, compressed) or a flush waits until no data I/O is in flight and runs alone.
     */
    static void runRequests(BlockImage img, boolean write, int count, int depth, long start, long step, int bufSize,
            byte pattern, long flushInterval, long size, boolean direct) throws IOException, InterruptedException {
        int threads = Math.min(depth, 64);
        AtomicLong next = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ReentrantReadWriteLock exclusive = new ReentrantReadWriteLock();
        Object core = new Object();
        Qcow2Image q = img.qcow2;
        Runnable submitter = () -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(bufSize + 4096).alignedSlice(4096).limit(bufSize);
            if (write) {
                for (int j = 0; j < bufSize; j++) {
                    buf.put(j, pattern);
                }
            }
            try {
                for (long n = next.getAndIncrement(); n < count && failure.get() == null; n = next.getAndIncrement()) {
                    long off = n == 0 || size <= 0 ? start + n * step : (start + n * step) % size;
                    ByteBuffer b = buf.duplicate().clear().limit(bufSize);
                    boolean done = false;
                    exclusive.readLock().lock();
                    try {
                        long host = off;
                        if (q != null) {
                            Qcow2Image.Extent x;
                            synchronized (core) {
                                x = q.map(off, bufSize);
                            }
                            host = x.type() == Qcow2Image.ExtentType.DATA && x.length() >= bufSize ? x.host() : -1;
                        }
                        if (host >= 0) {
                            if (write) {
                                img.file.write(host, b);
                            } else {
                                img.file.read(host, b);
                            }
                            done = true;
                        }
                    } finally {
                        exclusive.readLock().unlock();
                    }
                    if (!done) {
                        alone(exclusive, core, () -> {
                            if (write) {
                                img.write(off, b);
                            } else {
                                img.read(off, b);
                            }
                        });
                    }
                    if (flushInterval > 0 && (n + 1) % flushInterval == 0) {
                        alone(exclusive, core, img::flush);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        List<Thread> running = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(submitter, "bench-io-" + i);
            t.setDaemon(true);
            t.start();
            running.add(t);
        }
        for (Thread t : running) {
            t.join();
        }
        if (failure.get() != null) {
            Throwable t = failure.get();
            throw t instanceof IOException io ? io : new IOException(t);
        }
    }

    private interface CoreCall {
        void run() throws IOException;
    }

    /** Runs {@code call} with no data I/O in flight and the core to itself. */
    private static void alone(ReentrantReadWriteLock exclusive, Object core, CoreCall call) throws IOException {
        exclusive.writeLock().lock();
        try {
            synchronized (core) {
                call.run();
            }
        } finally {
            exclusive.writeLock().unlock();
        }
    }
}
