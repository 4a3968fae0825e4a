package dev.blockdeck.engine.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Check;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Create;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Header;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/**
 * {@code blockdeck-engine.jar img create|info|check|bench|bench-compare}: a qemu-img work-alike over the BlockDeck
 * qcow2 core (same options, same output, same exit codes for what it implements).
 */
public final class ImgMain {
    static final String PROG = "img";

    private final PrintStream out;
    private final PrintStream err;

    ImgMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        ImgMain m = new ImgMain(out, err);
        if (args.isEmpty()) {
            err.println(PROG + ": Not enough arguments");
            err.println("Try '" + PROG + " --help' for more information");
            return 1;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            switch (args.get(0)) {
                case "create":
                    return m.create(rest);
                case "info":
                    return m.info(rest);
                case "check":
                    return m.check(rest);
                case "bench":
                    return new ImgBench(out, err).run(rest);
                case "bench-compare":
                    return BenchCompare.run(rest, out, err);
                case "--help":
                case "-h":
                    out.println("usage: " + PROG + " create|info|check|bench|bench-compare [options]");
                    return 0;
                default:
                    err.println(PROG + ": Command not found: " + args.get(0));
                    return 1;
            }
        } catch (UsageError e) {
            err.println(PROG + ": " + e.getMessage());
            return 1;
        }
    }

    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String m) {
            super(m);
        }
    }

    /** Minimal getopt: options with values, flags, long options with '='. */
    static final class Args {
        final Map<String, List<String>> opts = new LinkedHashMap<>();
        final List<String> positional = new ArrayList<>();

        static Args parse(List<String> a, String withValue, String flags, List<String> longWithValue,
                List<String> longFlags) {
            Args r = new Args();
            for (int i = 0; i < a.size(); i++) {
                String s = a.get(i);
                if (s.startsWith("--") && s.length() > 2) {
                    String name = s.substring(2);
                    String val = null;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        val = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    }
                    if (longWithValue.contains(name)) {
                        if (val == null) {
                            if (i + 1 >= a.size()) {
                                throw new UsageError("option '--" + name + "' requires an argument");
                            }
                            val = a.get(++i);
                        }
                        r.opts.computeIfAbsent("--" + name, k -> new ArrayList<>()).add(val);
                    } else if (longFlags.contains(name)) {
                        r.opts.computeIfAbsent("--" + name, k -> new ArrayList<>()).add("");
                    } else {
                        throw new UsageError("unrecognized option '" + s + "'");
                    }
                } else if (s.startsWith("-") && s.length() > 1) {
                    for (int j = 1; j < s.length(); j++) {
                        char c = s.charAt(j);
                        if (withValue.indexOf(c) >= 0) {
                            String val = j + 1 < s.length() ? s.substring(j + 1) : null;
                            if (val == null) {
                                if (i + 1 >= a.size()) {
                                    throw new UsageError("option requires an argument -- '" + c + "'");
                                }
                                val = a.get(++i);
                            }
                            r.opts.computeIfAbsent("-" + c, k -> new ArrayList<>()).add(val);
                            break;
                        } else if (flags.indexOf(c) >= 0) {
                            r.opts.computeIfAbsent("-" + c, k -> new ArrayList<>()).add("");
                        } else {
                            throw new UsageError("invalid option -- '" + c + "'");
                        }
                    }
                } else {
                    r.positional.add(s);
                }
            }
            return r;
        }

        String get(String k) {
            List<String> v = opts.get(k);
            return v == null ? null : v.get(v.size() - 1);
        }

        boolean has(String k) {
            return opts.containsKey(k);
        }
    }

    // ------------------------------------------------------------------ create

    int create(List<String> argv) {
        Args a = Args.parse(argv, "fobF", "uq", List.of("object"), List.of());
        String fmt = a.get("-f") != null ? a.get("-f") : "raw";
        boolean quiet = a.has("-q");
        if (a.positional.isEmpty()) {
            throw new UsageError("Expecting image file name");
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
                err.println(PROG + ": Invalid image size specified. You may use k, M, G, T, P or E suffixes for");
                err.println(PROG + ": kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
                return 1;
            }
        }
        try {
            if (fmt.equals("raw")) {
                return createRaw(filename, o, size, quiet);
            } else if (fmt.equals("qcow2")) {
                return createQcow2(filename, o, size, quiet, a.has("-u"));
            }
            err.println(PROG + ": Unknown file format '" + fmt + "'");
            return 1;
        } catch (Qcow2Exception e) {
            err.println(PROG + ": " + filename + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(PROG + ": " + filename + ": " + ioMessage(e));
            return 1;
        }
    }

    private int createRaw(String filename, Map<String, String> o, Long size, boolean quiet) throws IOException {
        if (size == null) {
            err.println(PROG + ": " + filename + ": Image creation needs a size parameter");
            return 1;
        }
        for (String k : o.keySet()) {
            if (!k.equals("preallocation") && !k.equals("size")) {
                err.println(PROG + ": " + filename + ": Invalid parameter '" + k + "'");
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
                err.println(PROG + ": " + filename + ": Invalid parameter '" + k + "'");
                return 1;
            }
        }
        if (o.containsKey("encryption") || o.containsKey("encrypt.format") || o.containsKey("data_file")) {
            err.println(PROG + ": " + filename + ": encryption and external data files are not supported");
            return 1;
        }
        Qcow2Create.Options c = new Qcow2Create.Options();
        String compat = o.get("compat");
        if (compat != null) {
            switch (compat) {
                case "0.10", "v2" -> c.version = 2;
                case "1.1", "v3" -> c.version = 3;
                default -> {
                    err.println(PROG + ": " + filename + ": Invalid compatibility level: '" + compat + "'");
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
            err.println(PROG + ": " + filename + ": Parameter expects a number");
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
            err.println(PROG + ": " + filename + ": Backing file specified without backing format");
            err.println("Detected format of " + "qcow2.");
            return 1;
        }
        if (size == null && o.containsKey("size")) {
            size = ImgUtil.parseSize(o.get("size"));
        }
        if (size == null) {
            if (c.backingFile == null || unsafe) {
                err.println(PROG + ": " + filename + ": Image creation needs a size parameter");
                return 1;
            }
            Path bp = ImgUtil.resolveBacking(Path.of(filename), c.backingFile);
            try (BlockImage b = BlockImage.open(bp, c.backingFmt, true, false, false, null)) {
                size = b.size();
            } catch (IOException e) {
                err.println(PROG + ": " + filename + ": Could not open backing image: " + ioMessage(e));
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
            err.println(PROG + ": " + filename + ": " + v);
            return 1;
        }
        try (FileChannelHostFile f = FileChannelHostFile.create(Path.of(filename))) {
            Qcow2Create.create(f, c);
        }
        return 0;
    }

    static String ioMessage(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    // ------------------------------------------------------------------ info

    int info(List<String> argv) {
        Args a = Args.parse(argv, "f", "qU", List.of("output", "object", "image-opts"), List.of("backing-chain",
                "force-share"));
        if (a.positional.isEmpty()) {
            throw new UsageError("Expecting one image file name");
        }
        String filename = a.positional.get(0);
        String output = a.get("--output") == null ? "human" : a.get("--output");
        if (!output.equals("human") && !output.equals("json")) {
            err.println(PROG + ": --output must be used with human or json as argument.");
            return 1;
        }
        Path p = Path.of(filename);
        String fmt;
        try {
            fmt = a.get("-f") != null ? a.get("-f") : ImgUtil.probe(p);
        } catch (IOException e) {
            err.println(PROG + ": Could not open '" + filename + "': Could not open '" + filename + "': "
                    + ioMessage(e));
            return 1;
        }
        ObjectNode info = JsonNodeFactory.instance.objectNode();
        StringBuilder human = new StringBuilder();
        try (FileChannelHostFile f = FileChannelHostFile.open(p, true)) {
            long actual = f.allocatedSize();
            info.put("filename", filename);
            info.put("format", fmt);
            info.put("dirty-flag", false);
            if (actual >= 0) {
                info.put("actual-size", actual);
            }
            if (fmt.equals("raw")) {
                info.put("virtual-size", f.length());
            } else if (fmt.equals("qcow2")) {
                Qcow2Image.Options o = new Qcow2Image.Options();
                o.readOnly = true;
                try (Qcow2Image img = Qcow2Image.open(dev.blockdeck.engine.block.driver.qcow2.BorrowedHostFile.of(f), o)) {
                    Qcow2Header h = img.header();
                    info.put("dirty-flag", img.isDirty());
                    info.put("virtual-size", h.size);
                    info.put("cluster-size", h.clusterSize());
                    if (h.backingFile != null) {
                        info.put("backing-filename", h.backingFile);
                        info.put("full-backing-filename", ImgUtil.fullBackingName(filename, h.backingFile));
                    }
                    if (h.backingFormat != null) {
                        info.put("backing-filename-format", h.backingFormat);
                    }
                    ObjectNode fs = info.putObject("format-specific");
                    fs.put("type", "qcow2");
                    ObjectNode d = fs.putObject("data");
                    if (h.version == 2) {
                        d.put("compat", "0.10");
                        d.put("refcount-bits", img.refcountBits());
                    } else {
                        d.put("compat", "1.1");
                        d.put("extended-l2", img.extendedL2());
                        d.put("lazy-refcounts", img.lazyRefcounts());
                        d.put("corrupt", img.isCorrupt());
                        d.put("refcount-bits", img.refcountBits());
                    }
                    d.put("compression-type", h.compressionType == 1 ? "zstd" : "zlib");
                }
            } else {
                err.println(PROG + ": Could not open '" + filename + "': Unknown driver '" + fmt + "'");
                return 1;
            }
        } catch (IOException e) {
            String msg = e instanceof Qcow2Exception ? e.getMessage() : "Could not open '" + filename + "': "
                    + ioMessage(e);
            err.println(PROG + ": Could not open '" + filename + "': " + msg);
            return 1;
        }
        if (output.equals("json")) {
            out.println(ImgUtil.prettyJson(info));
            return 0;
        }
        human.append("image: ").append(filename).append('\n');
        human.append("file format: ").append(fmt).append('\n');
        long vs = info.get("virtual-size").asLong();
        human.append("virtual size: ").append(ImgUtil.sizeToStr(vs)).append(" (").append(vs).append(" bytes)\n");
        human.append("disk size: ").append(info.has("actual-size") ? ImgUtil.sizeToStr(info.get("actual-size")
                .asLong()) : "unavailable").append('\n');
        if (info.has("cluster-size")) {
            human.append("cluster_size: ").append(info.get("cluster-size").asLong()).append('\n');
        }
        if (info.get("dirty-flag").asBoolean()) {
            human.append("cleanly shut down: no\n");
        }
        if (info.has("backing-filename")) {
            String bf = info.get("backing-filename").asText();
            String full = info.get("full-backing-filename").asText();
            human.append("backing file: ").append(bf);
            if (!full.equals(bf)) {
                human.append(" (actual path: ").append(full).append(')');
            }
            human.append('\n');
        }
        if (info.has("backing-filename-format")) {
            human.append("backing file format: ").append(info.get("backing-filename-format").asText()).append('\n');
        }
        if (info.has("format-specific")) {
            ObjectNode d = (ObjectNode) info.get("format-specific").get("data");
            human.append("Format specific information:\n");
            human.append("    compat: ").append(d.get("compat").asText()).append('\n');
            human.append("    compression type: ").append(d.get("compression-type").asText()).append('\n');
            if (d.has("lazy-refcounts")) {
                human.append("    lazy refcounts: ").append(d.get("lazy-refcounts").asBoolean()).append('\n');
            }
            human.append("    refcount bits: ").append(d.get("refcount-bits").asInt()).append('\n');
            if (d.has("corrupt")) {
                human.append("    corrupt: ").append(d.get("corrupt").asBoolean()).append('\n');
            }
            if (d.has("extended-l2")) {
                human.append("    extended l2: ").append(d.get("extended-l2").asBoolean()).append('\n');
            }
        }
        out.print(human);
        return 0;
    }

    // ------------------------------------------------------------------ check

    int check(List<String> argv) {
        Args a = Args.parse(argv, "fr", "qU", List.of("output", "object", "image-opts"), List.of("force-share"));
        if (a.positional.isEmpty()) {
            throw new UsageError("Expecting one image file name");
        }
        String filename = a.positional.get(0);
        String output = a.get("--output") == null ? "human" : a.get("--output");
        boolean quiet = a.has("-q");
        if (!output.equals("human") && !output.equals("json")) {
            err.println(PROG + ": --output must be used with human or json as argument.");
            return 1;
        }
        int fix = 0;
        String r = a.get("-r");
        if (r != null) {
            if (r.equals("leaks")) {
                fix = Qcow2Check.FIX_LEAKS;
            } else if (r.equals("all")) {
                fix = Qcow2Check.FIX_LEAKS | Qcow2Check.FIX_ERRORS;
            } else {
                err.println(PROG + ": Unknown option value for -r (expecting 'leaks' or 'all'): " + r);
                return 1;
            }
        }
        Path p = Path.of(filename);
        String fmt;
        try {
            fmt = a.get("-f") != null ? a.get("-f") : ImgUtil.probe(p);
        } catch (IOException e) {
            err.println(PROG + ": Could not open '" + filename + "': Could not open '" + filename + "': "
                    + ioMessage(e));
            return 1;
        }
        if (!fmt.equals("qcow2")) {
            err.println(PROG + ": This image format does not support checks");
            return 63;
        }
        Qcow2Check.Result res;
        Qcow2Check.Result second = null;
        try (FileChannelHostFile f = FileChannelHostFile.open(p, fix == 0)) {
            Qcow2Image.Options o = new Qcow2Image.Options();
            o.readOnly = fix == 0;
            o.checkMode = true;
            try (Qcow2Image img = Qcow2Image.open(dev.blockdeck.engine.block.driver.qcow2.BorrowedHostFile.of(f), o)) {
                res = Qcow2Check.check(img, fix, err);
                if (res.failed) {
                    err.println(PROG + ": Check failed: Input/output error");
                    return 1;
                }
                if (res.leaksFixed + res.corruptionsFixed > 0) {
                    second = Qcow2Check.check(img, 0, err);
                }
            }
        } catch (IOException e) {
            String msg = e instanceof Qcow2Exception ? e.getMessage() : "Could not open '" + filename + "': "
                    + ioMessage(e);
            err.println(PROG + ": Could not open '" + filename + "': " + msg);
            return 1;
        }
        if (second != null) {
            if (output.equals("human") && !quiet) {
                out.printf("The following inconsistencies were found and repaired:%n%n"
                        + "    %d leaked clusters%n    %d corruptions%n%nDouble checking the fixed image now...%n",
                        res.leaksFixed, res.corruptionsFixed);
            }
            second.leaksFixed = res.leaksFixed;
            second.corruptionsFixed = res.corruptionsFixed;
            res = second;
        }
        if (output.equals("json")) {
            ObjectNode j = JsonNodeFactory.instance.objectNode();
            j.put("filename", filename);
            j.put("format", "qcow2");
            j.put("check-errors", res.checkErrors);
            putIfNonZero(j, "image-end-offset", res.imageEndOffset);
            putIfNonZero(j, "corruptions", res.corruptions);
            putIfNonZero(j, "leaks", res.leaks);
            putIfNonZero(j, "corruptions-fixed", res.corruptionsFixed);
            putIfNonZero(j, "leaks-fixed", res.leaksFixed);
            putIfNonZero(j, "total-clusters", res.totalClusters);
            putIfNonZero(j, "allocated-clusters", res.allocatedClusters);
            putIfNonZero(j, "fragmented-clusters", res.fragmentedClusters);
            putIfNonZero(j, "compressed-clusters", res.compressedClusters);
            out.println(ImgUtil.prettyJson(j));
        } else if (!quiet) {
            if (res.corruptions == 0 && res.leaks == 0 && res.checkErrors == 0) {
                out.println("No errors were found on the image.");
            } else {
                if (res.corruptions != 0) {
                    out.printf("%n%d errors were found on the image.%n"
                            + "Data may be corrupted, or further writes to the image may corrupt it.%n",
                            res.corruptions);
                }
                if (res.leaks != 0) {
                    out.printf("%n%d leaked clusters were found on the image.%n"
                            + "This means waste of disk space, but no harm to data.%n", res.leaks);
                }
                if (res.checkErrors != 0) {
                    out.printf("%n%d internal errors have occurred during the check.%n", res.checkErrors);
                }
            }
            if (res.totalClusters != 0 && res.allocatedClusters != 0) {
                out.printf("%d/%d = %.2f%% allocated, %.2f%% fragmented, %.2f%% compressed clusters%n",
                        res.allocatedClusters, res.totalClusters,
                        res.allocatedClusters * 100.0 / res.totalClusters,
                        res.fragmentedClusters * 100.0 / res.allocatedClusters,
                        res.compressedClusters * 100.0 / res.allocatedClusters);
            }
            if (res.imageEndOffset != 0) {
                out.println("Image end offset: " + res.imageEndOffset);
            }
        }
        if (res.checkErrors != 0) {
            err.println(PROG + ": Check failed");
            return 1;
        }
        if (res.corruptions != 0) {
            return 2;
        }
        if (res.leaks != 0) {
            return 3;
        }
        return 0;
    }

    /** qemu-img's JSON check report leaves out counters that are zero. */
    private static void putIfNonZero(ObjectNode j, String key, long value) {
        if (value != 0) {
            j.put(key, value);
        }
    }
}
