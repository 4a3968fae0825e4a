package dev.blockdeck.engine.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/**
 * {@code img bench}: qemu-img bench's options and output. Metadata lookups run on the calling thread (the core is
 * single-threaded, like a node's AioContext); data I/O for mapped clusters goes to a pool of up to 64 threads,
 * like QEMU's thread pool, keeping {@code depth} requests in flight. {@code -i native} uses the same pool (Java has
 * no Linux AIO) but, as in QEMU, requires {@code -t none}.
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

    static void runRequests(BlockImage img, boolean write, int count, int depth, long start, long step, int bufSize,
            byte pattern, long flushInterval, long size, boolean direct) throws IOException, InterruptedException {
        int threads = Math.min(depth, 64);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-io");
            t.setDaemon(true);
            return t;
        });
        Semaphore slots = new Semaphore(depth);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ByteBuffer[] bufs = new ByteBuffer[depth];
        java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> free = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < depth; i++) {
            bufs[i] = ByteBuffer.allocateDirect(bufSize + 4096).alignedSlice(4096).limit(bufSize);
            if (write) {
                for (int j = 0; j < bufSize; j++) {
                    bufs[i].put(j, pattern);
                }
            }
            free.add(bufs[i]);
        }
        Qcow2Image q = img.qcow2;
        long off = start;
        try {
            for (int n = 0; n < count; n++) {
                if (failure.get() != null) {
                    break;
                }
                slots.acquire();
                ByteBuffer buf = free.poll();
                long reqOff = off;
                off += step;
                if (size > 0) {
                    off %= size;
                }
                long host = -1;
                if (q == null) {
                    host = reqOff;
                } else {
                    Qcow2Image.Extent x = q.map(reqOff, bufSize);
                    if (x.type() == Qcow2Image.ExtentType.DATA && x.length() >= bufSize) {
                        host = x.host();
                    }
                }
                if (host < 0) {
                    // needs the core (allocation, COW, backing, compressed): run it here, alone
                    slots.release();
                    slots.acquire(depth);
                    try {
                        ByteBuffer b = buf.duplicate().clear().limit(bufSize);
                        if (write) {
                            img.write(reqOff, b);
                        } else {
                            img.read(reqOff, b);
                        }
                    } finally {
                        free.add(buf);
                        slots.release(depth);
                    }
                } else {
                    final long h = host;
                    pool.execute(() -> {
                        try {
                            ByteBuffer b = buf.duplicate().clear().limit(bufSize);
                            if (write) {
                                img.file.write(h, b);
                            } else {
                                img.file.read(h, b);
                            }
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        } finally {
                            free.add(buf);
                            slots.release();
                        }
                    });
                }
                if (flushInterval > 0 && (n + 1) % flushInterval == 0) {
                    slots.acquire(depth);
                    img.flush();
                    slots.release(depth);
                }
            }
            slots.acquire(depth);
            slots.release(depth);
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            Throwable t = failure.get();
            throw t instanceof IOException io ? io : new IOException(t);
        }
    }
}
