package dev.blockdeck.engine.block;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import dev.blockdeck.engine.block.driver.Drivers;
import dev.blockdeck.engine.block.driver.file.HostErrors;
import dev.blockdeck.engine.block.driver.qcow2.BorrowedHostFile;
import dev.blockdeck.engine.block.driver.qcow2.FileChannelHostFile;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Create;

/**
 * Creating an image file the way a snapshot does (QEMU's bdrv_img_create with a backing file and a size): the same
 * checks and messages, the same "Formatting ..." line on standard output, and for qcow2 the bytes qemu-img writes.
 */
public final class ImageCreator {
    private final PrintStream out;

    public ImageCreator(PrintStream out) {
        this.out = out;
    }

    public void create(String filename, String format, String backingFile, String backingFormat, long size) {
        if (Drivers.find(format).isEmpty() || !Drivers.find(format).get().isFormat()) {
            throw new BlockException("Unknown file format '" + format + "'");
        }
        if (!"qcow2".equals(format)) {
            throw new BlockException("Backing file not supported for file format '" + format + "'");
        }
        if (filename.equals(backingFile)) {
            throw new BlockException("Error: Trying to create an image with the same filename as the backing file");
        }
        Qcow2Create.Options o = new Qcow2Create.Options().size(size);
        o.backingFile = backingFile;
        o.backingFmt = backingFormat;
        out.println("Formatting '" + filename + "', fmt=qcow2 cluster_size=65536 extended_l2=off "
                + "compression_type=zlib size=" + size + " backing_file=" + backingFile + " backing_fmt="
                + backingFormat + " lazy_refcounts=off refcount_bits=16");
        out.flush();
        if (filename.isEmpty()) {
            throw new BlockException("Could not create '': No such file or directory"); // open("") is ENOENT
        }
        try (FileChannelHostFile f = FileChannelHostFile.create(Path.of(filename))) {
            Qcow2Create.create(BorrowedHostFile.withoutFlush(f), o);
        } catch (IOException e) {
            throw new BlockException("Could not create '" + filename + "': " + HostErrors.text(e));
        }
    }
}
