package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.txn.ActionDefaults;
import dev.blockdeck.app.txn.ActionKind;
import dev.blockdeck.app.txn.TxnAction;
import dev.blockdeck.app.txn.TxnRecord;
import dev.blockdeck.app.txn.TxnTrace;
import dev.blockdeck.qmp.QmpCommandException;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The transaction composer and its timeline. Actions are added for the graph's selection (prefilled by
 * {@link ActionDefaults}), edited, reordered; {@link #apply()} sends them as one QMP {@code transaction}.
 * The outcome lands on the action list (QEMU's error on the action whose prepare failed, when the engine's
 * {@value TxnTrace#EVENT} says which) and on the timeline, which keeps the last {@value #MAX_RECORDS}
 * transactions, including ones run elsewhere that the engine traced.
 *
 * <p>Threading: everything on {@code fx}. A trace event is sent before the answer on the same connection, and
 * both are handed to {@code fx} in that order, so the trace is matched to the apply it belongs to.
 */
public final class TransactionViewModel implements SessionPart {

    static final int MAX_RECORDS = 10;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The apply in flight: its record number, action types and rows. */
    private record Pending(Session session, int number, List<String> types, List<ActionRow> rows) {
    }

    private final ObservableValue<BlockState> state;
    private final ObservableValue<String> selection;
    private final Runnable refreshGraph;
    private final Executor fx;
    private final Predicate<String> fileExists;

    private final ObservableList<ActionRow> actions = FXCollections.observableArrayList();
    private final ObjectProperty<ActionRow> selected = new SimpleObjectProperty<>();
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty messageIsError = new SimpleBooleanProperty();
    private final StringProperty problems = new SimpleStringProperty("");
    private final StringProperty target = new SimpleStringProperty("");
    private final BooleanProperty connected = new SimpleBooleanProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final BooleanProperty canApply = new SimpleBooleanProperty();
    private final ObservableList<TxnRecord> records = FXCollections.observableArrayList();
    private final ObjectProperty<TxnRecord> shown = new SimpleObjectProperty<>();

    private volatile Session session;
    private Pending pending;
    private int counter;

    /**
     * @param state        the graph's latest block state (targets, files, bitmaps)
     * @param selection    the graph's selected key ({@code node:NAME}, {@code backend:NAME}), or null
     * @param refreshGraph reads the graph again (a transaction sends no standard event)
     */
    public TransactionViewModel(ObservableValue<BlockState> state, ObservableValue<String> selection,
                                Runnable refreshGraph, Executor fx) {
        this(state, selection, refreshGraph, fx, f -> Files.exists(Path.of(f)));
    }

    TransactionViewModel(ObservableValue<BlockState> state, ObservableValue<String> selection, Runnable refreshGraph,
                         Executor fx, Predicate<String> fileExists) {
        this.state = state;
        this.selection = selection;
        this.refreshGraph = refreshGraph;
        this.fx = fx;
        this.fileExists = fileExists;
        selection.addListener((o, a, b) -> describeTarget());
        state.addListener((o, a, b) -> describeTarget());
        connected.addListener((o, a, b) -> recheck());
        busy.addListener((o, a, b) -> recheck());
        describeTarget();
    }

    @Override
    public void attach(Session s) {
        session = s;
        s.addEventListener(e -> {
            if (session == s && TxnTrace.EVENT.equals(e.name()) && e.data() != null) {
                TxnTrace trace = TxnTrace.parse(e.data());
                fx.execute(() -> traced(s, trace));
            }
        });
        fx.execute(() -> connected.set(true));
    }

    @Override
    public void detach(String why) {
        session = null;
        connected.set(false);
        if (pending != null) {
            finish(pending, TxnRecord.Outcome.NO_ANSWER, null, why);
        }
    }

    // ---- composing

    /** The actions offered for the graph's selection. */
    public List<ActionKind> kindsForSelection() {
        return kindsFor(selection.getValue());
    }

    public List<ActionKind> kindsFor(String key) {
        return ActionDefaults.kindsFor(state.getValue(), key);
    }

    /** Adds an action for the graph's selection, selects it and returns it. */
    public ActionRow add(ActionKind kind) {
        return add(kind, selection.getValue());
    }

    /** Adds an action prefilled for the vertex {@code key} (may be null), selects it and returns it. */
    public ActionRow add(ActionKind kind, String key) {
        ActionRow row = new ActionRow(defaults().create(kind, key));
        actions.add(row);
        selected.set(row);
        message.set("");
        recheck();
        return row;
    }

    public void remove(ActionRow row) {
        int at = actions.indexOf(row);
        if (at < 0) {
            return;
        }
        actions.remove(at);
        selected.set(actions.isEmpty() ? null : actions.get(Math.min(at, actions.size() - 1)));
        recheck();
    }

    /** Moves a row up ({@code -1}) or down ({@code +1}); the order is the order QEMU runs them in. */
    public void move(ActionRow row, int delta) {
        int from = actions.indexOf(row);
        int to = from + delta;
        if (from < 0 || to < 0 || to >= actions.size()) {
            return;
        }
        actions.remove(from);
        actions.add(to, row);
        selected.set(row);
        actions.forEach(r -> r.outcome("", ""));
        recheck();
    }

    public void clear() {
        actions.clear();
        selected.set(null);
        message.set("");
        recheck();
    }

    /** Sets one member of a row's action to what the user typed. */
    public void edit(ActionRow row, String field, String text) {
        String value = text == null ? "" : text;
        if (!actions.contains(row) || row.action().values().getOrDefault(field, "").equals(value)) {
            return;
        }
        row.set(row.action().with(field, value));
        recheck();
    }

    /** Names a node field may hold: the graph's node-names, then its BlockBackends. */
    public List<String> targetChoices() {
        return ActionDefaults.targets(state.getValue());
    }

    /** The bitmaps of the row's node, for its bitmap fields. */
    public List<String> bitmapChoices(ActionRow row) {
        return defaults().bitmapsOf(row.action().value("node"));
    }

    private ActionDefaults defaults() {
        return new ActionDefaults(state.getValue(), actions.stream().map(ActionRow::action).toList(), fileExists);
    }

    private void recheck() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            for (String p : actions.get(i).action().problems()) {
                all.add("#" + (i + 1) + " " + p);
            }
        }
        problems.set(String.join(" · ", all));
        canApply.set(connected.get() && !busy.get() && !actions.isEmpty() && all.isEmpty());
    }

    private void describeTarget() {
        String key = selection.getValue();
        GraphNode n = key == null ? null : state.getValue().node(key).orElse(null);
        if (n == null) {
            target.set("Nothing selected in the graph: actions are added empty.");
        } else if (n.kind() == NodeKind.BACKEND) {
            target.set("For BlockBackend " + n.name());
        } else if (n.kind() == NodeKind.JOB) {
            target.set("Block job " + n.name() + ": only abort applies");
        } else {
            target.set("For node " + n.name() + " (" + n.driver() + ")");
        }
    }

    // ---- applying

    /** Sends the list as one {@code transaction}. */
    public void apply() {
        Session s = session;
        if (s == null || busy.get() || actions.isEmpty()) {
            return;
        }
        recheck();
        if (!problems.get().isEmpty()) {
            error("Fix the list first: " + problems.get());
            return;
        }
        ArrayNode list = JSON.arrayNode();
        List<TxnRecord.Line> lines = new ArrayList<>();
        for (ActionRow r : actions) {
            r.outcome("", "");
            list.add(r.action().toQmp());
            lines.add(new TxnRecord.Line(r.action().kind().type(), r.action().description()));
        }
        ObjectNode args = JSON.objectNode();
        args.set("actions", list);
        TxnRecord record = TxnRecord.sent(++counter, LocalTime.now(), lines);
        Pending p = new Pending(s, record.number(), actions.stream().map(r -> r.action().kind().type()).toList(),
                List.copyOf(actions));
        pending = p;
        addRecord(record);
        busy.set(true);
        message.set("Applying " + lines.size() + (lines.size() == 1 ? " action…" : " actions…"));
        messageIsError.set(false);
        s.execute("transaction", args).whenComplete((ok, error) -> fx.execute(() -> answered(p, error)));
    }

    private void traced(Session from, TxnTrace trace) {
        Pending p = pending;
        TxnRecord mine = p == null ? null : record(p.number());
        if (p != null && p.session() == from && mine != null && mine.trace() == null && p.types().equals(trace.types())) {
            replace(mine.withTrace(trace));
        } else {
            addRecord(TxnRecord.observed(++counter, LocalTime.now(), trace));
        }
    }

    private void answered(Pending p, Throwable error) {
        if (pending != p) {
            return;
        }
        if (error == null) {
            finish(p, TxnRecord.Outcome.COMMITTED, null, null);
            return;
        }
        Throwable t = unwrap(error);
        if (t instanceof QmpCommandException q) {
            finish(p, TxnRecord.Outcome.ABORTED, q.getErrorClass(), q.getDesc());
        } else {
            finish(p, TxnRecord.Outcome.NO_ANSWER, null, ConsoleViewModel.describe(t));
        }
    }

    private void finish(Pending p, TxnRecord.Outcome outcome, String errorClass, String error) {
        pending = null;
        busy.set(false);
        TxnRecord r = record(p.number());
        if (r != null) {
            r = r.answered(outcome, errorClass, error);
            replace(r);
        }
        TxnTrace trace = r == null ? null : r.trace();
        switch (outcome) {
            case COMMITTED -> {
                actions.removeAll(p.rows());
                if (!actions.contains(selected.get())) {
                    selected.set(actions.isEmpty() ? null : actions.get(0));
                }
                message.set("Committed " + p.rows().size() + (p.rows().size() == 1 ? " action" : " actions")
                        + "; the graph is read again." + (trace == null ? " (This VM sends no phase trace.)" : ""));
                messageIsError.set(false);
            }
            case ABORTED -> {
                int failed = trace == null ? -1 : trace.failedIndex();
                for (int i = 0; i < p.rows().size(); i++) {
                    ActionRow row = p.rows().get(i);
                    if (failed < 0) {
                        row.outcome("not applied", "");
                    } else if (i < failed) {
                        row.outcome("rolled back", "");
                    } else if (i == failed) {
                        row.outcome("prepare failed", error);
                    } else {
                        row.outcome("not reached", "");
                    }
                }
                error("Aborted, nothing changed: " + errorClass + ": " + error + (failed >= 0 ? ""
                        : " (QEMU does not say which action failed.)"));
            }
            default -> error("No answer: " + error + ". Whether the transaction ran is unknown; the graph is read again.");
        }
        recheck();
        refreshGraph.run();
    }

    private void error(String text) {
        message.set(text);
        messageIsError.set(true);
    }

    // ---- the timeline

    private void addRecord(TxnRecord r) {
        records.add(0, r);
        while (records.size() > MAX_RECORDS) {
            records.remove(records.size() - 1);
        }
        shown.set(r);
    }

    private TxnRecord record(int number) {
        return records.stream().filter(r -> r.number() == number).findFirst().orElse(null);
    }

    private void replace(TxnRecord r) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).number() == r.number()) {
                boolean wasShown = shown.get() == records.get(i);
                records.set(i, r);
                if (wasShown) {
                    shown.set(r);
                }
                return;
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ---- properties

    public ObservableList<ActionRow> actions() {
        return actions;
    }

    /** The row the editor shows; the view keeps it in step with the list's selection. */
    public ObjectProperty<ActionRow> selectedProperty() {
        return selected;
    }

    /** The last apply's outcome (or why it was not sent), shown over the list. */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError;
    }

    /** What keeps the list from being applied, {@code #1 snapshot-file is required · ...}, or empty. */
    public ReadOnlyStringProperty problemsProperty() {
        return problems;
    }

    /** What the Add menu adds for: {@code For BlockBackend drive0}. */
    public ReadOnlyStringProperty targetProperty() {
        return target;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyBooleanProperty connectedProperty() {
        return connected;
    }

    /** Connected, not busy, at least one action, no problems. */
    public ReadOnlyBooleanProperty canApplyProperty() {
        return canApply;
    }

    /** The last transactions, newest first. */
    public ObservableList<TxnRecord> records() {
        return records;
    }

    /** The transaction the timeline draws: the newest unless the user picked another. */
    public ObjectProperty<TxnRecord> shownProperty() {
        return shown;
    }
}
