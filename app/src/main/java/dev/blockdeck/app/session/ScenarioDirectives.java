package dev.blockdeck.app.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The console's own lines in a scenario file, {@code #!} lines, which the engine (and anyone reading the file as
 * a plain command line) skips like any comment:
 * <ul>
 *   <li>{@code #! image FILE raw|qcow2 SIZE [backing=FILE]}: an image file the launcher creates in the session's
 *       private directory before the engine starts; {@code ${images}} in the arguments is that directory;</li>
 *   <li>{@code #! qmp COMMAND [JSON-ARGUMENTS]}: a command the launcher sends once connected, in file order
 *       (e.g. {@code x-blockdev-set-iothread}, which has no command-line form).</li>
 * </ul>
 * Anything else after {@code #!} is an error, so a typo never silently changes the VM.
 */
public record ScenarioDirectives(List<Image> images, List<Step> steps) {

    /** What {@code ${images}} stands for in a scenario's arguments. */
    public static final String IMAGES_VARIABLE = "${images}";
    private static final String PREFIX = "#!";
    /** A plain file name: no directory part, no leading dot (nothing outside the private directory). */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final Pattern SIZE = Pattern.compile("[0-9]+[kKMGT]?");
    private static final ObjectMapper JSON = new ObjectMapper();

    public ScenarioDirectives {
        images = List.copyOf(images);
        steps = List.copyOf(steps);
    }

    /**
     * An image to create.
     *
     * @param size    as {@code qemu-img create} takes it ({@code 64G})
     * @param backing the backing file's name in the same directory, or null
     */
    public record Image(String file, String format, String size, String backing) {
    }

    /** A QMP command to send after connecting; {@code arguments} may be null. */
    public record Step(String command, ObjectNode arguments) {
        @Override
        public String toString() {
            return arguments == null ? command : command + " " + arguments;
        }
    }

    /** @throws IllegalArgumentException naming the line of a malformed or unknown directive */
    public static ScenarioDirectives parse(String text) {
        List<Image> images = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith(PREFIX)) {
                continue;
            }
            String body = line.substring(PREFIX.length()).strip();
            String[] words = body.split("\\s+", 2);
            try {
                switch (words[0]) {
                    case "image" -> images.add(image(words.length > 1 ? words[1] : "", images));
                    case "qmp" -> steps.add(step(words.length > 1 ? words[1] : ""));
                    default -> throw new IllegalArgumentException("unknown directive '" + words[0]
                            + "' (known: image, qmp)");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Scenario line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new ScenarioDirectives(images, steps);
    }

    private static Image image(String rest, List<Image> earlier) {
        String[] w = rest.isBlank() ? new String[0] : rest.split("\\s+");
        if (w.length < 3 || w.length > 4) {
            throw new IllegalArgumentException("expected: #! image FILE raw|qcow2 SIZE [backing=FILE]");
        }
        String file = fileName(w[0]);
        String format = w[1];
        if (!format.equals("raw") && !format.equals("qcow2")) {
            throw new IllegalArgumentException("image format must be raw or qcow2, not '" + format + "'");
        }
        if (!SIZE.matcher(w[2]).matches()) {
            throw new IllegalArgumentException("bad image size '" + w[2] + "' (a number with k, M, G or T)");
        }
        String backing = null;
        if (w.length == 4) {
            if (!w[3].startsWith("backing=") || !format.equals("qcow2")) {
                throw new IllegalArgumentException("only a qcow2 image takes backing=FILE, not '" + w[3] + "'");
            }
            backing = fileName(w[3].substring("backing=".length()));
            String b = backing;
            if (earlier.stream().noneMatch(img -> img.file().equals(b))) {
                throw new IllegalArgumentException("backing file " + b + " is not declared on an earlier line");
            }
        }
        if (earlier.stream().anyMatch(img -> img.file().equals(file))) {
            throw new IllegalArgumentException("image " + file + " is declared twice");
        }
        return new Image(file, format, w[2], backing);
    }

    private static String fileName(String s) {
        if (!FILE_NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a plain file name");
        }
        return s;
    }

    private static Step step(String rest) {
        String[] w = rest.strip().split("\\s+", 2);
        if (w[0].isEmpty()) {
            throw new IllegalArgumentException("expected: #! qmp COMMAND [JSON-ARGUMENTS]");
        }
        if (w.length == 1) {
            return new Step(w[0], null);
        }
        try {
            JsonNode args = JSON.readTree(w[1]);
            if (!(args instanceof ObjectNode o)) {
                throw new IllegalArgumentException("the arguments of " + w[0] + " must be a JSON object");
            }
            return new Step(w[0], o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the arguments of " + w[0] + " are not JSON: "
                    + e.getOriginalMessage());
        }
    }
}
