package dev.blockdeck.engine.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Exception;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Header;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Image;

/** {@code img info}: what qemu-img info prints, human or JSON, for one image or its backing chain. */
final class ImgInfo extends ImgCommand {

    ImgInfo(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int run(List<String> argv) {
        ImgMain.Args a = ImgMain.Args.parse(argv, "f", "qU", List.of("output", "object", "image-opts"), List.of("backing-chain",
                "force-share"));
        if (a.positional.isEmpty()) {
            throw new ImgMain.UsageError("Expecting one image file name");
        }
        String filename = a.positional.get(0);
        String output = a.get("--output") == null ? "human" : a.get("--output");
        if (!output.equals("human") && !output.equals("json")) {
            err.println(ImgMain.PROG + ": --output must be used with human or json as argument.");
            return 1;
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
                err.println(ImgMain.PROG + ": Could not open '" + filename + "': Unknown driver '" + fmt + "'");
                return 1;
            }
        } catch (IOException e) {
            String msg = e instanceof Qcow2Exception ? e.getMessage() : "Could not open '" + filename + "': "
                    + ImgMain.ioMessage(e);
            err.println(ImgMain.PROG + ": Could not open '" + filename + "': " + msg);
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
}
