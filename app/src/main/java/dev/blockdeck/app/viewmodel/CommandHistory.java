package dev.blockdeck.app.viewmodel;

import java.util.ArrayList;
import java.util.List;

/**
 * The console's command history, as a shell's: Up walks back from the newest line, Down walks forward and,
 * past the newest, gives back what was being typed before the walk began.
 */
final class CommandHistory {

    private final int limit;
    private final List<String> lines = new ArrayList<>();
    /** lines.size() when not walking */
    private int position;
    private String draft = "";

    CommandHistory(int limit) {
        this.limit = limit;
    }

    /** A line was run: remembered (not twice in a row) and the walk ends. */
    void add(String line) {
        if (!line.isBlank() && (lines.isEmpty() || !lines.get(lines.size() - 1).equals(line))) {
            lines.add(line);
            if (lines.size() > limit) {
                lines.remove(0);
            }
        }
        position = lines.size();
        draft = "";
    }

    /** The line before; {@code current} is kept as the draft when the walk starts. Null at the oldest. */
    String previous(String current) {
        if (position == 0) {
            return null;
        }
        if (position == lines.size()) {
            draft = current;
        }
        return lines.get(--position);
    }

    /** The line after, or the draft past the newest; null when not walking. */
    String next() {
        if (position >= lines.size()) {
            return null;
        }
        position++;
        return position == lines.size() ? draft : lines.get(position);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
