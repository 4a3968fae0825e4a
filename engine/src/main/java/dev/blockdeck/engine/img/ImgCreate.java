package dev.blockdeck.engine.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Create;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;

/** {@code img create}: raw and qcow2 images with qemu-img's options, sizes and messages. */
final class ImgCreate extends ImgCommand {

    ImgCreate(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int run(List<String> argv) {
        ImgMain.Args a = ImgMain.Args.parse(argv, "fobF", "uq", List.of("object"), List.of());
        String fmt = a.get("-f") != null ? a.get("-f") : "raw";
        boolean quiet = a.has("-q");
        if (a.positional.isEmpty()) {
            throw new ImgMain.UsageError("Expecting image file name");
        }
        String filename = a.positional.get(0);
        Map<String, String> o = new LinkedHashMap<>();
        for (String group : a.opts.getOrDefault("-o", List.of())) {
            for (String kv : group.split(",")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    o.put(kv, "on");
                } else {
                    o.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        if (a.get("-b") != null) {
            o.put("backing_file", a.get("-b"));
        }
        if (a.get("-F") != null) {
            o.put("backing_fmt", a.get("-F"));
        }
        Long size = null;
        if (a.positional.size() > 1) {
            try {
                size = ImgUtil.parseSize(a.positional.get(1));
            } catch (NumberFormatException | ArithmeticException e) {
                err.println(ImgMain.PROG + ": Invalid image size specified. You may use k, M, G, T, P or E suffixes for");
                err.println(ImgMain.PROG + ": kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
                return 1;
            }
        }
        try {
            if (fmt.equals("raw")) {
                return createRaw(filename, o, size, quiet);
            } else if (fmt.equals("qcow2")) {
                return createQcow2(filename, o, size, quiet, a.has("-u"));
            }
            err.println(ImgMain.PROG + ": Unknown file format '" + fmt + "'");
            return 1;
        } catch (Qcow2Exception e) {
            err.println(ImgMain.PROG + ": " + filename + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(ImgMain.PROG + ": " + filename + ": " + ImgMain.ioMessage(e));
            return 1;
        }
    }

    private int createRaw(String filename, Map<String, String> o, Long size, boolean quiet) throws IOException {
        if (size == null) {
            err.println(ImgMain.PROG + ": " + filename + ": Image creation needs a size parameter");
            return 1;
        }
        for (String k : o.keySet()) {
            if (!k.equals("preallocation") && !k.equals("size")) {
                err.println(ImgMain.PROG + ": " + filename + ": Invalid parameter '" + k + "'");
                return 1;
            }
        }
        long sz = roundUp512(size);
        String prealloc = o.getOrDefault("preallocation", "off");
        if (!quiet) {
            out.println("Formatting '" + filename + "', fmt=raw size=" + sz
                    + (o.containsKey("preallocation") ? " preallocation=" + prealloc : ""));
        }
        try (FileChannelHostFile f = FileChannelHostFile.create(Path.of(filename))) {
            if (prealloc.equals("full")) {
                long done = 0;
                java.nio.ByteBuffer z = java.nio.ByteBuffer.allocate(1 << 20);
                while (done < sz) {
                    int n = (int) Math.min(z.capacity(), sz - done);
                    f.write(done, z.clear().limit(n));
                    done += n;
                }
            } else {
                f.truncate(sz);
            }
        }
        return 0;
    }

    private static long roundUp512(long v) {
        return (v + 511) / 512 * 512;
    }

    private static Boolean onOff(String k, String v) throws Qcow2Exception {
        if (v == null) {
            return null;
        }
        switch (v) {
            case "on":
            case "yes":
            case "true":
                return true;
            case "off":
            case "no":
            case "false":
                return false;
            default:
                throw new Qcow2Exception("Parameter '" + k + "' expects 'on' or 'off'");
        }
    }

    private int createQcow2(String filename, Map<String, String> o, Long size, boolean quiet, boolean unsafe)
            throws IOException {
        List<String> known = List.of("size", "compat", "backing_file", "backing_fmt", "cluster_size",
                "preallocation", "lazy_refcounts", "refcount_bits", "extended_l2", "compression_type", "encryption",
                "encrypt.format", "data_file", "data_file_raw", "nocow");
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                err.println(ImgMain.PROG + ": " + filename + ": Invalid parameter '" + k + "'");
                return 1;
            }
        }
        if (o.containsKey("encryption") || o.containsKey("encrypt.format") || o.containsKey("data_file")) {
            err.println(ImgMain.PROG + ": " + filename + ": encryption and external data files are not supported");
            return 1;
        }
        Qcow2Create.Options c = new Qcow2Create.Options();
        String compat = o.get("compat");
        if (compat != null) {
            switch (compat) {
                case "0.10", "v2" -> c.version = 2;
                case "1.1", "v3" -> c.version = 3;
                default -> {
                    err.println(ImgMain.PROG + ": " + filename + ": Invalid compatibility level: '" + compat + "'");
                    return 1;
                }
            }
        }
        try {
            if (o.containsKey("cluster_size")) {
                c.clusterSize = ImgUtil.parseSize(o.get("cluster_size"));
            }
            if (o.containsKey("refcount_bits")) {
                c.refcountBits = Long.parseLong(o.get("refcount_bits"));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            err.println(ImgMain.PROG + ": " + filename + ": Parameter expects a number");
            return 1;
        }
        c.lazyRefcounts = onOff("lazy_refcounts", o.get("lazy_refcounts"));
        c.extendedL2 = onOff("extended_l2", o.get("extended_l2"));
        if (o.containsKey("preallocation")) {
            c.preallocation = Qcow2Create.Preallocation.parse(o.get("preallocation"));
        }
        c.compressionType = o.get("compression_type");
        c.backingFile = o.get("backing_file");
        c.backingFmt = o.get("backing_fmt");
        if (c.backingFile != null && c.backingFmt == null) {
            err.println(ImgMain.PROG + ": " + filename + ": Backing file specified without backing format");
            err.println("Detected format of " + "qcow2.");
            return 1;
        }
        if (size == null && o.containsKey("size")) {
            size = ImgUtil.parseSize(o.get("size"));
        }
        if (size == null) {
            if (c.backingFile == null || unsafe) {
                err.println(ImgMain.PROG + ": " + filename + ": Image creation needs a size parameter");
                return 1;
            }
            Path bp = ImgUtil.resolveBacking(Path.of(filename), c.backingFile);
            try (BlockImage b = BlockImage.open(bp, c.backingFmt, true, false, false, null)) {
                size = b.size();
            } catch (IOException e) {
                err.println(ImgMain.PROG + ": " + filename + ": Could not open backing image: " + ImgMain.ioMessage(e));
                return 1;
            }
        }
        c.size = roundUp512(size);
        if (!quiet) {
            StringBuilder sb = new StringBuilder("Formatting '" + filename + "', fmt=qcow2");
            sb.append(" cluster_size=").append(c.clusterSize == null ? 65536 : c.clusterSize);
            sb.append(" extended_l2=").append(c.extendedL2 != null && c.extendedL2 ? "on" : "off");
            if (c.preallocation != null) {
                sb.append(" preallocation=").append(c.preallocation.qapiName());
            }
            sb.append(" compression_type=").append(c.compressionType == null ? "zlib" : c.compressionType);
            sb.append(" size=").append(c.size);
            if (c.backingFile != null) {
                sb.append(" backing_file=").append(c.backingFile);
            }
            if (c.backingFmt != null) {
                sb.append(" backing_fmt=").append(c.backingFmt);
            }
            if (compat != null) {
                sb.append(" compat=").append(compat);
            }
            sb.append(" lazy_refcounts=").append(c.lazyRefcounts != null && c.lazyRefcounts ? "on" : "off");
            sb.append(" refcount_bits=").append(c.refcountBits == null ? 16 : c.refcountBits);
            out.println(sb);
        }
        String v = Qcow2Create.validate(c);
        if (v != null) {
            err.println(ImgMain.PROG + ": " + filename + ": " + v);
            return 1;
        }
        try (FileChannelHostFile f = FileChannelHostFile.create(Path.of(filename))) {
            Qcow2Create.create(f, c);
        }
        return 0;
    }
}
