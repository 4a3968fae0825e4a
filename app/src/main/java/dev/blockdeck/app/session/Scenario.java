package dev.blockdeck.app.session;

import dev.blockdeck.engine.cli.ScenarioFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A scenario: an engine command line in the file format of {@code resources/scenarios/*.args} (one
 * argument per line, {@code #} comments). The shipped ones are classpath resources under
 * {@code /scenarios/}, so the same lookup works in a source checkout and in the installed app.
 *
 * @param name a short name for display, e.g. {@code demo.args}
 */
public record Scenario(String name, String text) {

    public static final String DEFAULT = "demo";
    private static final String RESOURCE_DIR = "/scenarios/";

    /** The engine arguments as written (no {@code -qmp}: the launcher adds its own socket). */
    public List<String> args() {
        return ScenarioFile.parse(text);
    }

    /** The engine arguments with {@code ${images}} replaced by the directory holding the scenario's images. */
    public List<String> args(Path imageDir) {
        String dir = imageDir.toAbsolutePath().toString();
        return args().stream().map(a -> a.replace(ScenarioDirectives.IMAGES_VARIABLE, dir)).toList();
    }

    /** The console's {@code #!} lines: images to create, QMP commands to send once connected. */
    public ScenarioDirectives directives() {
        return ScenarioDirectives.parse(text);
    }

    /** The name without {@code .args}, as {@code --scenario} takes it. */
    public String shortName() {
        return name.endsWith(".args") ? name.substring(0, name.length() - ".args".length()) : name;
    }

    /**
     * Loads {@code nameOrPath}: an existing file, else a shipped scenario by name ({@code demo} or
     * {@code demo.args}).
     */
    public static Scenario load(String nameOrPath) throws IOException {
        return checked(find(nameOrPath));
    }

    /** A malformed {@code #!} line is found when the scenario is loaded, not half-way through a start. */
    private static Scenario checked(Scenario s) throws IOException {
        try {
            s.directives();
            return s;
        } catch (IllegalArgumentException e) {
            throw new IOException(s.name() + ": " + e.getMessage(), e);
        }
    }

    private static Scenario find(String nameOrPath) throws IOException {
        Path file = Path.of(nameOrPath);
        if (Files.isRegularFile(file)) {
            return new Scenario(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
        String fileName = nameOrPath.endsWith(".args") ? nameOrPath : nameOrPath + ".args";
        if (fileName.contains("/")) {
            throw new IOException("No scenario file " + nameOrPath);
        }
        try (InputStream in = Scenario.class.getResourceAsStream(RESOURCE_DIR + fileName)) {
            if (in == null) {
                throw new IOException("No scenario named " + nameOrPath
                        + " (neither a file nor a shipped scenario in " + RESOURCE_DIR + ")");
            }
            return new Scenario(fileName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
