package dev.blockdeck.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The lines of a class-path text resource that are neither blank nor {@code #} comments, stripped. */
public final class ResourceLines {
    private ResourceLines() {
    }

    public static List<String> of(String resource) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = ResourceLines.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank() && !l.startsWith("#")) {
                    out.add(l.strip());
                }
            }
        }
        return out;
    }
}
