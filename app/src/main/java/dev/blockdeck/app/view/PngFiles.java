package dev.blockdeck.app.view;

import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a JavaFX image as PNG through ImageIO, without the javafx-swing bridge. */
final class PngFiles {

    private PngFiles() {
    }

    static void write(Image image, Path file) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        if (w <= 0 || h <= 0) {
            throw new IOException("the image is empty");
        }
        PixelReader reader = image.getPixelReader();
        int[] argb = new int[w * h];
        reader.getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        // write beside, then move: a failed export never leaves half a PNG under the chosen name
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".export-", ".png");
        try {
            if (!ImageIO.write(out, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
