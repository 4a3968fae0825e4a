package dev.blockdeck.app.session;

import dev.blockdeck.app.session.ScenarioDirectives.Image;
import dev.blockdeck.engine.img.ImgMain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a scenario's {@code #! image} files with the engine's own {@code img create} (the qemu-img
 * work-alike over its qcow2 code: same bytes as qemu-img), so a scenario with backing chains runs on a fresh
 * machine without qemu-img. Sparse: a qcow2 image is a few hundred KiB whatever its virtual size.
 */
public final class ScenarioImages {

    private ScenarioImages() {
    }

    /** Creates every image in {@code dir}, in order (a backing file before the images over it). */
    public static void create(List<Image> images, Path dir) throws IOException {
        for (Image image : images) {
            List<String> args = new ArrayList<>(List.of("create", "-q", "-f", image.format()));
            if (image.backing() != null) {
                // recorded relative to the image, as qemu-img does with a bare name
                args.addAll(List.of("-b", image.backing(), "-F", "qcow2"));
            }
            args.add(dir.resolve(image.file()).toString());
            args.add(image.size());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status;
            try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
                 PrintStream out = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
                status = ImgMain.run(args, out, errStream);
            }
            if (status != 0) {
                throw new IOException("Could not create the scenario's image " + image.file() + ": "
                        + err.toString(StandardCharsets.UTF_8).strip());
            }
        }
    }
}
