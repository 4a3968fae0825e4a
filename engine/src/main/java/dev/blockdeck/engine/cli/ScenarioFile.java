package dev.blockdeck.engine.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A demo VM scenario: an engine command line, one argument per line, or an option and its value
 * on one line ({@code -name demo-vm}: split at the first blank). Blank lines and lines starting
 * with {@code #} are ignored; leading and trailing blanks are trimmed.
 */
public final class ScenarioFile {
    private ScenarioFile() {
    }

    public static List<String> parse(String text) {
        List<String> args = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                String[] parts = t.startsWith("-") ? t.split("\\s+", 2) : new String[] {t};
                args.addAll(List.of(parts));
            }
        }
        return args;
    }
}
