package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.CommandLine;
import dev.blockdeck.app.model.EntryFields;
import dev.blockdeck.app.model.FieldDocs;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.session.Session;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The inspector: every member the VM reported for the graph's selection (a block node's
 * {@code query-named-block-nodes} entry, a BlockBackend's {@code query-block} entry, an IOThread's
 * {@code query-iothreads} entry), flattened into categorised rows. An IOThread's polling and batching
 * parameters are editable: an edit is a {@code qom-set} on {@code /objects/ID}, then the graph is read again.
 *
 * <p>Threading: everything on {@code fx}; QMP answers are handed over to it.
 */
public final class InspectorViewModel implements SessionPart {

    /**
     * @param property for an editable row, the QOM property an edit sets; otherwise null
     */
    public record Row(String category, String name, String value, String description, String property) {
        public boolean editable() {
            return property != null;
        }
    }

    /** The IOThread properties QEMU lets {@code qom-set} change at run time. */
    public static final Set<String> IOTHREAD_SETTABLE = Set.of("poll-max-ns", "poll-grow", "poll-shrink", "aio-max-batch");
    public static final String GRAPH = "In the graph";
    private static final List<String> ORDER;

    static {
        List<String> order = new ArrayList<>(EntryFields.CATEGORY_ORDER);
        order.add(GRAPH);
        ORDER = List.copyOf(order);
    }

    /** Categories in the order the sheet shows them: the entry's own members first, derived facts last. */
    public static final Comparator<String> CATEGORY_ORDER = Comparator.comparingInt(c -> {
        int i = ORDER.indexOf(c);
        return i < 0 ? ORDER.size() : i;
    });

    private final GraphViewModel graph;
    private final Executor fx;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final StringProperty title = new SimpleStringProperty();
    private final StringProperty subtitle = new SimpleStringProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty messageIsError = new SimpleBooleanProperty();
    private Session session;

    public InspectorViewModel(GraphViewModel graph, Executor fx) {
        this.graph = graph;
        this.fx = fx;
        graph.stateProperty().addListener((o, a, b) -> update());
        graph.selectionProperty().addListener((o, a, b) -> {
            message.set("");
            update();
        });
        update();
    }

    @Override
    public void attach(Session s) {
        fx.execute(() -> session = s);
    }

    @Override
    public void detach(String why) {
        session = null;
    }

    private void update() {
        String key = graph.selectionProperty().get();
        BlockState state = graph.stateProperty().get();
        List<Row> next = new ArrayList<>();
        if (key == null) {
            title.set("Nothing selected");
            subtitle.set("Click a card, or an IOThread's lane header, in the graph.");
        } else if (key.startsWith("iothread:")) {
            String id = key.substring("iothread:".length());
            title.set("IOThread " + id);
            subtitle.set("query-iothreads · QOM /objects/" + id);
            fields(EntryFields.Source.IOTHREAD, state.detail(key), next, true);
            if (state.detail(key).isEmpty()) {
                subtitle.set("query-iothreads does not list " + id);
            }
        } else {
            Optional<GraphNode> node = state.node(key);
            if (node.isEmpty()) {
                title.set("Gone");
                subtitle.set("The selection is no longer in the graph.");
            } else {
                describe(node.get(), state, next);
            }
        }
        if (!next.equals(rows)) {
            rows.setAll(next);
        }
    }

    private void describe(GraphNode n, BlockState state, List<Row> out) {
        Optional<JsonNode> entry = state.detail(n.key());
        switch (n.kind()) {
            case BACKEND -> {
                title.set("BlockBackend " + n.name());
                subtitle.set(entry.isPresent() ? "query-block entry" : "query-block does not list it");
                fields(EntryFields.Source.BLOCK_BACKEND, entry, out, false);
            }
            case JOB -> {
                title.set("Block job " + n.name());
                subtitle.set("x-debug-query-block-graph vertex");
            }
            default -> {
                title.set(n.name());
                subtitle.set(entry.isPresent() ? n.driver() + " · query-named-block-nodes entry"
                        : "query-named-block-nodes does not list it");
                fields(EntryFields.Source.BLOCK_NODE, entry, out, false);
            }
        }
        out.add(new Row(GRAPH, "kind", n.kind().name().toLowerCase(), "How the graph view draws it.", null));
        out.add(new Row(GRAPH, "AioContext", n.placement().explanation(),
                "The context this vertex runs in, and how the console knows it.", null));
        if (n.kind() == NodeKind.BACKEND && n.deviceIothread() != null) {
            out.add(new Row(GRAPH, "device iothread link", n.deviceIothread(), "qom-get of the device's iothread property.", null));
        }
    }

    private static void fields(EntryFields.Source source, Optional<JsonNode> entry, List<Row> out, boolean iothread) {
        entry.ifPresent(e -> {
            for (EntryFields.Field f : EntryFields.of(source, e)) {
                String property = iothread && IOTHREAD_SETTABLE.contains(f.path()) ? f.path() : null;
                String doc = FieldDocs.describe(f.name());
                if (property != null) {
                    doc = (doc.isEmpty() ? "" : doc + " ") + "Editable: qom-set, then the graph is read again.";
                }
                out.add(new Row(f.category(), f.name(), EntryFields.display(f), doc, property));
            }
        });
    }

    /**
     * Sets an editable row's property to {@code text} (FX thread). The text goes as JSON when it is JSON
     * ({@code 16384}), else as a string: the VM checks the type and range and its error is shown as is.
     */
    public void edit(Row row, String text) {
        String key = graph.selectionProperty().get();
        if (!row.editable() || key == null || !key.startsWith("iothread:")) {
            return;
        }
        String value = text == null ? "" : text.strip();
        if (value.equals(row.value())) {
            return;
        }
        Session s = session;
        if (s == null) {
            fail("Not connected.");
            return;
        }
        String path = "/objects/" + key.substring("iothread:".length());
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("path", path).put("property", row.property());
        args.set("value", CommandLine.value(value));
        message.set("qom-set " + path + " " + row.property() + " = " + value + " …");
        messageIsError.set(false);
        s.execute("qom-set", args).whenComplete((ok, error) -> fx.execute(() -> {
            if (error != null) {
                fail("qom-set " + row.property() + " failed: " + ConsoleViewModel.describe(error));
            } else {
                message.set("Set " + row.property() + " of " + path + " to " + value + ".");
                graph.refresh(); // qom-set sends no event
            }
        }));
    }

    private void fail(String why) {
        message.set(why);
        messageIsError.set(true);
        // the editors show what was typed: give them the rows again so they show the VM's value
        List<Row> same = List.copyOf(rows);
        rows.clear();
        rows.setAll(same);
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    /** {@code disk0}, {@code BlockBackend drive0}, {@code IOThread iothread0}, or {@code Nothing selected}. */
    public ReadOnlyStringProperty titleProperty() {
        return title;
    }

    /** Where the rows come from, e.g. {@code raw · query-named-block-nodes entry}. */
    public ReadOnlyStringProperty subtitleProperty() {
        return subtitle;
    }

    /** The outcome of the last edit, or empty. */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError;
    }
}
