package dev.blockdeck.app.session;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The names of the scenarios shipped under {@code /scenarios/} on the class path ({@code resources/scenarios}
 * in the source tree), found by listing that directory, so a new {@code .args} file needs no registration:
 * a plain directory in a build, a jar in the installed app.
 */
public final class ShippedScenarios {

    private ShippedScenarios() {
    }

    /** Short names ({@code demo}, {@code database}, …), sorted, {@link Scenario#DEFAULT} first. */
    public static List<String> names() throws IOException {
        URL anchor = ShippedScenarios.class.getResource("/scenarios/" + Scenario.DEFAULT + ".args");
        if (anchor == null) {
            return List.of();
        }
        try {
            URI uri = anchor.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return list(fs.provider().getPath(uri).getParent());
            }
            return list(Path.of(uri).getParent());
        } catch (URISyntaxException e) {
            throw new IOException("Cannot list the shipped scenarios at " + anchor, e);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".args"))
                    .map(n -> n.substring(0, n.length() - ".args".length()))
                    .sorted((a, b) -> a.equals(Scenario.DEFAULT) ? -1 : b.equals(Scenario.DEFAULT) ? 1 : a.compareTo(b))
                    .toList();
        }
    }
}
