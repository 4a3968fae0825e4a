package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.CommandLine;
import dev.blockdeck.app.model.Completer;
import dev.blockdeck.app.model.QmpSchema;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.qmp.QmpCommandException;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The QMP console tab: a command line (see {@link CommandLine}) with history and completion from the VM's
 * {@code query-qmp-schema}, and a transcript of what was asked and answered.
 *
 * <p>Threading: properties and the transcript change on {@code fx}; {@link #complete} may run on any thread.
 */
public final class QmpConsoleViewModel implements SessionPart {

    public enum Kind {
        /** What was sent, as a QMP request (without the id the client adds). */
        COMMAND,
        /** A {@code return}. */
        RETURN,
        /** An {@code error} answer from the VM, or the connection failing under the command. */
        ERROR,
        /** The line could not be read; nothing was sent. */
        INVALID,
        /** Something the console says (connected, schema read, disconnected). */
        NOTE
    }

    /** One transcript block: a heading ({@code → query-block}, {@code ← error · GenericError}) and a body. */
    public record Entry(Kind kind, String time, String title, String body) {
    }

    static final int MAX_ENTRIES = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final Executor fx;
    private final ObservableList<Entry> transcript = FXCollections.observableArrayList();
    private final StringProperty input = new SimpleStringProperty("");
    private final BooleanProperty connected = new SimpleBooleanProperty();
    private final StringProperty schemaSummary = new SimpleStringProperty("Not connected.");
    private final CommandHistory history = new CommandHistory(500);

    private volatile Completer completer = new Completer(QmpSchema.EMPTY);
    private volatile Session session;

    public QmpConsoleViewModel(Executor fx) {
        this.fx = fx;
    }

    @Override
    public void attach(Session s) {
        session = s;
        fx.execute(() -> {
            connected.set(true);
            schemaSummary.set("Reading query-qmp-schema…");
            note("Connected to " + s.endpoint(), """
                    Type a command and press Enter: query-status · qom-get path=/objects/ID property=poll-max-ns
                    · blockdev-add {"driver": ...} · or a whole {"execute": ..., "arguments": {...}}.
                    Typing (or Tab) completes command and argument names; Up and Down walk the history.""");
        });
        s.execute("query-qmp-schema", null).whenComplete((schema, error) -> {
            if (error == null) {
                useSchema(s, QmpSchema.parse(schema), "from query-qmp-schema");
            } else {
                // a VM without introspection still lists its commands
                s.execute("query-commands", null).whenComplete((list, error2) -> {
                    if (error2 != null) {
                        fx.execute(() -> schemaSummary.set("No completion: " + ConsoleViewModel.describe(error)));
                        return;
                    }
                    List<String> names = new ArrayList<>();
                    list.forEach(c -> names.add(c.path("name").asText()));
                    useSchema(s, QmpSchema.ofCommandNames(names), "names only, from query-commands");
                });
            }
        });
    }

    private void useSchema(Session s, QmpSchema schema, String how) {
        if (session != s) {
            return;
        }
        completer = new Completer(schema);
        fx.execute(() -> schemaSummary.set(schema.commands().size() + " commands (" + how + ")"));
    }

    @Override
    public void detach(String why) {
        session = null;
        completer = new Completer(QmpSchema.EMPTY);
        if (connected.get()) {
            note("Disconnected", why);
        }
        connected.set(false);
        schemaSummary.set("Not connected.");
    }

    /** Runs the input line (FX thread): parses it, sends it, and clears the input. */
    public void submit() {
        String line = input.get() == null ? "" : input.get();
        if (line.isBlank()) {
            return;
        }
        history.add(line);
        input.set("");
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(line);
        } catch (IllegalArgumentException e) {
            add(new Entry(Kind.INVALID, now(), "✗ not sent", line + "\n" + e.getMessage()));
            return;
        }
        Session s = session;
        if (s == null) {
            add(new Entry(Kind.INVALID, now(), "✗ not sent", line + "\nNot connected."));
            return;
        }
        // the request on one line, as QEMU writes JSON (the wire trace has it with its id); answers are indented
        add(new Entry(Kind.COMMAND, now(), "→ " + parsed.command(), JsonText.compact(CommandLine.request(parsed))));
        long start = System.nanoTime();
        s.execute(parsed.command(), parsed.arguments()).whenComplete((ret, error) -> {
            String took = " · " + Math.max(0, (System.nanoTime() - start) / 1_000_000) + " ms";
            Entry answer = error == null
                    ? new Entry(Kind.RETURN, now(), "← return" + took, JsonText.pretty(ret))
                    : errorEntry(error, took);
            fx.execute(() -> add(answer));
        });
    }

    private static Entry errorEntry(Throwable error, String took) {
        Throwable t = error;
        while (t.getCause() != null && !(t instanceof QmpCommandException)) {
            t = t.getCause();
        }
        if (t instanceof QmpCommandException q) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("class", q.getErrorClass()).put("desc", q.getDesc());
            return new Entry(Kind.ERROR, now(), "← error · " + q.getErrorClass() + took, JsonText.pretty(body));
        }
        return new Entry(Kind.ERROR, now(), "✗ no answer" + took, ConsoleViewModel.describe(error));
    }

    /** Up: the previous line into the input; false at the oldest. */
    public boolean historyPrevious() {
        String line = history.previous(input.get());
        if (line != null) {
            input.set(line);
        }
        return line != null;
    }

    /** Down: the next line, or what was typed before walking; false when not walking. */
    public boolean historyNext() {
        String line = history.next();
        if (line != null) {
            input.set(line);
        }
        return line != null;
    }

    /** Completions for the text before the caret; any thread. */
    public List<Completer.Completion> complete(String beforeCaret) {
        return completer.complete(beforeCaret);
    }

    /** Empties the transcript (FX thread). */
    public void clear() {
        transcript.clear();
    }

    private void note(String title, String body) {
        add(new Entry(Kind.NOTE, now(), title, body));
    }

    private void add(Entry e) {
        BoundedList.append(transcript, List.of(e), MAX_ENTRIES);
    }

    private static String now() {
        return LocalTime.now().format(TIME);
    }

    public ObservableList<Entry> transcript() {
        return transcript;
    }

    /** The command line; the view binds it both ways. */
    public StringProperty inputProperty() {
        return input;
    }

    public ReadOnlyBooleanProperty connectedProperty() {
        return connected;
    }

    /** {@code 216 commands (from query-qmp-schema)}, or why there is no completion. */
    public ReadOnlyStringProperty schemaSummaryProperty() {
        return schemaSummary;
    }

    /** The lines run so far, oldest first. */
    public List<String> history() {
        return history.lines();
    }
}
