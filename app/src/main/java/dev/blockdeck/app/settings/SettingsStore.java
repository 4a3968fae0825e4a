package dev.blockdeck.app.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes {@link Settings} as a small JSON file. A missing file gives the defaults; so does a file that
 * is not JSON at all, and a member that is wrong gives that member's default: remembered state never stops the
 * console from starting. Writes go to a temporary file first and replace the old one in one move.
 *
 * <p>Where: {@value #DIR_PROPERTY} (a directory) if set, else {@code $XDG_CONFIG_HOME/blockdeck}, else
 * {@code ~/.config/blockdeck}; tests pass their own file.
 */
public final class SettingsStore {

    public static final String DIR_PROPERTY = "blockdeck.config.dir";
    static final String FILE_NAME = "settings.json";
    private static final int VERSION = 1;

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private volatile String problem;

    public SettingsStore(Path file) {
        this.file = file;
    }

    /** The user's store, at {@link #defaultFile}. */
    public static SettingsStore forUser() {
        return new SettingsStore(defaultFile(System.getProperties(), System.getenv()));
    }

    /** The file {@link #forUser()} uses, given the system properties and the environment. */
    static Path defaultFile(java.util.Properties properties, Map<String, String> env) {
        String dir = properties.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).resolve(FILE_NAME);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        // the XDG spec says a relative value is to be ignored
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(properties.getProperty("user.home"), ".config");
        return base.resolve("blockdeck").resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Why the last {@link #load()} fell back to defaults (in whole or in part), or null. */
    public String problem() {
        return problem;
    }

    public Settings load() {
        problem = null;
        if (!Files.exists(file)) {
            return Settings.DEFAULTS;
        }
        JsonNode root;
        try {
            root = json.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            problem = file + " is not readable JSON (" + e.getClass().getSimpleName() + "); using the defaults";
            return Settings.DEFAULTS;
        }
        if (root == null || !root.isObject()) {
            problem = file + " does not hold a JSON object; using the defaults";
            return Settings.DEFAULTS;
        }
        List<String> bad = new ArrayList<>();
        Theme theme = theme(root.path("theme"), bad);
        WindowBounds window = window(root.path("window"), bad);
        JsonNode dividers = root.path("dividers");
        double main = number(dividers.path("main"));
        double graph = number(dividers.path("graph"));
        JsonNode tab = root.path("lastTab");
        List<RecentConnection> recent = recent(root.path("recent"), bad);
        if (!bad.isEmpty()) {
            problem = file + ": ignored " + String.join(", ", bad);
        }
        return new Settings(window, theme, main, graph, tab.isTextual() ? tab.asText() : null, recent);
    }

    private static Theme theme(JsonNode n, List<String> bad) {
        if (n.isMissingNode() || n.isNull()) {
            return Theme.LIGHT;
        }
        try {
            return Theme.valueOf(n.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            bad.add("theme");
            return Theme.LIGHT;
        }
    }

    private static WindowBounds window(JsonNode n, List<String> bad) {
        if (!n.isObject()) {
            if (!n.isMissingNode() && !n.isNull()) {
                bad.add("window");
            }
            return null;
        }
        WindowBounds w = new WindowBounds(number(n.path("x")), number(n.path("y")), number(n.path("width")),
                number(n.path("height")), n.path("maximized").asBoolean(false));
        if (!w.usable()) {
            bad.add("window");
            return null;
        }
        return w;
    }

    private static List<RecentConnection> recent(JsonNode n, List<String> bad) {
        List<RecentConnection> list = new ArrayList<>();
        if (!n.isArray()) {
            if (!n.isMissingNode()) {
                bad.add("recent");
            }
            return list;
        }
        for (JsonNode e : n) {
            try {
                list.add(new RecentConnection(
                        RecentConnection.Kind.valueOf(e.path("kind").asText().toUpperCase(Locale.ROOT)),
                        e.path("target").asText("")));
            } catch (IllegalArgumentException wrong) {
                bad.add("a recent entry");
            }
        }
        return list;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** Writes {@code s}, creating the directory (mode as the umask says) when needed. */
    public void save(Settings s) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("version", VERSION);
        root.put("theme", s.theme().name().toLowerCase(Locale.ROOT));
        if (s.window() != null) {
            WindowBounds w = s.window();
            root.putObject("window").put("x", w.x()).put("y", w.y()).put("width", w.width())
                    .put("height", w.height()).put("maximized", w.maximized());
        }
        ObjectNode dividers = root.putObject("dividers");
        if (!Double.isNaN(s.mainDivider())) {
            dividers.put("main", s.mainDivider());
        }
        if (!Double.isNaN(s.graphDivider())) {
            dividers.put("graph", s.graphDivider());
        }
        if (s.lastTab() != null) {
            root.put("lastTab", s.lastTab());
        }
        ArrayNode recent = root.putArray("recent");
        s.recent().forEach(r -> recent.addObject().put("kind", r.kind().name().toLowerCase(Locale.ROOT))
                .put("target", r.target()));

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
        try {
            Files.writeString(tmp, json.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
