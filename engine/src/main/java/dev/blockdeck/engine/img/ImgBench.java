package dev.blockdeck.engine.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import dev.blockdeck.engine.block.driver.qcow2.Errnos;

/**
 * {@code img bench}: qemu-img bench's options and output; the requests run in a {@link BenchRun}, set up (image
 * open, submitter threads started) before the clock starts, as qemu-img opens the image first. {@code -i native}
 * runs the same way (Java has no Linux AIO) but, as in QEMU, requires {@code -t none}.
 */
final class ImgBench extends ImgCommand {
    ImgBench(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
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
            double secs;
            try (BenchRun r = new BenchRun(img, new BenchRun.Workload(write, count, depth, offset, step, bufSize,
                    (byte) pattern, flushInterval, size))) {
                long t0 = System.nanoTime();
                try {
                    r.run();
                } catch (IOException e) {
                    err.println(ImgMain.PROG + ": Failed request: " + Errnos.text(e));
                    return 1;
                }
                secs = (System.nanoTime() - t0) / 1e9;
            }
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
}
