package dev.blockdeck.engine.img;

import java.io.PrintStream;
import java.util.List;

/** One {@code img} subcommand: parses its arguments, prints as qemu-img does, answers the exit code. */
abstract class ImgCommand {

    protected final PrintStream out;
    protected final PrintStream err;

    ImgCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @throws ImgMain.UsageError for arguments qemu-img would reject before doing anything */
    abstract int run(List<String> argv);
}
