package dev.blockdeck.engine.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Check;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/** {@code img check}: leaks and corruptions as qemu-img check classifies them, {@code -r leaks|all} repairs. */
final class ImgCheck extends ImgCommand {

    ImgCheck(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int run(List<String> argv) {
        ImgMain.Args a = ImgMain.Args.parse(argv, "fr", "qU", List.of("output", "object", "image-opts"), List.of("force-share"));
        if (a.positional.isEmpty()) {
            throw new ImgMain.UsageError("Expecting one image file name");
        }
        String filename = a.positional.get(0);
        String output = a.get("--output") == null ? "human" : a.get("--output");
        boolean quiet = a.has("-q");
        if (!output.equals("human") && !output.equals("json")) {
            err.println(ImgMain.PROG + ": --output must be used with human or json as argument.");
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
                err.println(ImgMain.PROG + ": Unknown option value for -r (expecting 'leaks' or 'all'): " + r);
                return 1;
            }
        }
        Path p = Path.of(filename);
        String fmt;
        try {
            fmt = a.get("-f") != null ? a.get("-f") : ImgUtil.probe(p);
        } catch (IOException e) {
            err.println(ImgMain.PROG + ": Could not open '" + filename + "': Could not open '" + filename + "': "
                    + ImgMain.ioMessage(e));
            return 1;
        }
        if (!fmt.equals("qcow2")) {
            err.println(ImgMain.PROG + ": This image format does not support checks");
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
                    err.println(ImgMain.PROG + ": Check failed: Input/output error");
                    return 1;
                }
                if (res.leaksFixed + res.corruptionsFixed > 0) {
                    second = Qcow2Check.check(img, 0, err);
                }
            }
        } catch (IOException e) {
            String msg = e instanceof Qcow2Exception ? e.getMessage() : "Could not open '" + filename + "': "
                    + ImgMain.ioMessage(e);
            err.println(ImgMain.PROG + ": Could not open '" + filename + "': " + msg);
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
            err.println(ImgMain.PROG + ": Check failed");
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
