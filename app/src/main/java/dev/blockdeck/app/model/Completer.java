package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Completes the QMP console's line (see {@link CommandLine}) from a {@link QmpSchema}: the command name in
 * first position, then argument names ({@code key=}, dotted inside objects) not given yet, and after
 * {@code key=} the values of an enum or bool member.
 */
public final class Completer {

    /**
     * Replace the text from {@code start} up to the caret with {@code text}.
     *
     * @param label what the list shows, e.g. {@code flat · bool, optional}
     */
    public record Completion(int start, String text, String label) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final QmpSchema schema;

    public Completer(QmpSchema schema) {
        this.schema = schema;
    }

    /** What may come at the end of {@code beforeCaret}, best first; empty when nothing fits. */
    public List<Completion> complete(String beforeCaret) {
        String line = beforeCaret;
        int lead = 0;
        while (lead < line.length() && Character.isWhitespace(line.charAt(lead))) {
            lead++;
        }
        String text = line.substring(lead);
        if (text.startsWith("{")) {
            return List.of(); // a JSON request: the user is writing JSON, not words
        }
        int space = indexOfSpace(text);
        if (space < 0) {
            return commands(lead, text);
        }
        String command = text.substring(0, space);
        String rest = text.substring(space);
        if (!schema.hasCommand(command) || rest.strip().startsWith("{")) {
            return List.of();
        }
        // the token being typed starts after the last white space outside quotes and brackets
        List<String> tokens = CommandLine.tokens(rest);
        boolean fresh = Character.isWhitespace(line.charAt(line.length() - 1));
        String current = fresh || tokens.isEmpty() ? "" : tokens.get(tokens.size() - 1);
        List<String> done = fresh ? tokens : tokens.subList(0, Math.max(0, tokens.size() - 1));
        ObjectNode given = givenSoFar(done);
        int start = line.length() - current.length();
        int eq = current.indexOf('=');
        return eq < 0 ? keys(command, current, start, given) : values(command, current, eq, start, given);
    }

    private List<Completion> commands(int start, String prefix) {
        List<Completion> out = new ArrayList<>();
        for (String c : schema.commands()) {
            if (c.startsWith(prefix)) {
                out.add(new Completion(start, schema.takesArguments(c) ? c + " " : c, c));
            }
        }
        return out;
    }

    private List<Completion> keys(String command, String current, int start, ObjectNode given) {
        int dot = current.lastIndexOf('.');
        String parent = dot < 0 ? "" : current.substring(0, dot + 1);
        String prefix = current.substring(dot + 1);
        List<String> path = dot < 0 ? List.of() : Arrays.asList(current.substring(0, dot).split("\\."));
        ObjectNode at = given;
        for (String step : path) {
            at = at != null && at.get(step) instanceof ObjectNode o ? o : null;
        }
        Set<String> taken = new TreeSet<>();
        if (at != null) {
            at.fieldNames().forEachRemaining(taken::add);
        }
        List<Completion> out = new ArrayList<>();
        for (QmpSchema.Member m : schema.arguments(command, path, given)) {
            if (m.name().startsWith(prefix) && !taken.contains(m.name())) {
                String label = parent + m.name() + " · " + schema.describeType(m.type())
                        + (m.optional() ? ", optional" : "");
                out.add(new Completion(start, parent + m.name() + "=", label));
            }
        }
        // required members first, each group in schema order
        out.sort((a, b) -> Boolean.compare(a.label().endsWith(", optional"), b.label().endsWith(", optional")));
        return out;
    }

    private List<Completion> values(String command, String current, int eq, int start, ObjectNode given) {
        String key = current.substring(0, eq);
        String prefix = current.substring(eq + 1);
        String[] path = key.split("\\.");
        List<String> parents = Arrays.asList(path).subList(0, path.length - 1);
        String name = path[path.length - 1];
        List<Completion> out = new ArrayList<>();
        for (QmpSchema.Member m : schema.arguments(command, parents, given)) {
            if (m.name().equals(name)) {
                for (String v : schema.values(m.type())) {
                    if (v.startsWith(prefix)) {
                        out.add(new Completion(start + eq + 1, v + " ", key + "=" + v));
                    }
                }
            }
        }
        return out;
    }

    /** The arguments of the complete tokens so far, or what can be made of them (for union tags). */
    private static ObjectNode givenSoFar(List<String> tokens) {
        try {
            return CommandLine.pairs(tokens);
        } catch (IllegalArgumentException e) {
            // one token is half-typed or odd: keep the others, it decides nothing about what comes next
            List<String> good = new ArrayList<>();
            for (String t : tokens) {
                try {
                    List<String> more = new ArrayList<>(good);
                    more.add(t);
                    CommandLine.pairs(more);
                    good = more;
                } catch (IllegalArgumentException ignored) {
                    // skip it
                }
            }
            return CommandLine.pairs(good);
        }
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
