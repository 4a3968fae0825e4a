package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.SessionLauncher;
import dev.blockdeck.app.session.VmStatus;
import dev.blockdeck.qmp.QmpCommandException;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * State of the console window: the connection and what the VM reports about itself. The only part of
 * the console that talks to the {@link Session}; the view binds to its properties.
 *
 * <p>Threading: {@link #connect()} runs the launcher on {@code background}; every property is written
 * only through {@code fx} (the FX thread in the app, a direct executor in tests).
 */
public final class ConsoleViewModel {

    /** Events after which the run state is asked for again. */
    static final Set<String> RUN_STATE_EVENTS = Set.of("STOP", "RESUME", "RESET", "SHUTDOWN", "SUSPEND", "WAKEUP",
            "GUEST_PANICKED", "POWERDOWN");

    static final String NONE = "—";

    private final SessionLauncher launcher;
    private final Executor background;
    private final Executor fx;
    private final GraphViewModel graph;
    private final InspectorViewModel inspector;
    private final QmpConsoleViewModel qmpConsole;
    private final WireTraceViewModel wireTrace;
    private final EventLogViewModel eventLog;
    private final TransactionViewModel transaction;
    private final IoViewModel io;
    private final NoticeBoard notices = new NoticeBoard();
    private final EditViewModel edits;
    private final MoveViewModel moves;
    private final IothreadViewModel iothreads;
    /** Told about every session: the console, trace, event and transaction tabs and the inspector (the graph is apart). */
    private final List<SessionPart> parts;

    private final ObjectProperty<ConnectionState> connectionState = new SimpleObjectProperty<>(ConnectionState.CONNECTING);
    private final StringProperty connectionStateText = new SimpleStringProperty(ConnectionState.CONNECTING.label());
    private final StringProperty errorText = new SimpleStringProperty("");
    private final StringProperty socketPath = new SimpleStringProperty(NONE);
    private final StringProperty qemuVersion = new SimpleStringProperty(NONE);
    private final StringProperty vmName = new SimpleStringProperty(NONE);
    private final StringProperty runState = new SimpleStringProperty(NONE);
    private final StringProperty statusMessage = new SimpleStringProperty("");
    private final StringProperty sessionDescription = new SimpleStringProperty();

    private final Object lock = new Object();
    private Session session;
    private boolean shutdown;

    public ConsoleViewModel(SessionLauncher launcher, Executor background, Executor fx) {
        this(launcher, background, fx, null);
    }

    /** @param graph mirrors the session's block graph once connected; may be null (no graph view) */
    public ConsoleViewModel(SessionLauncher launcher, Executor background, Executor fx, GraphViewModel graph) {
        this(launcher, background, fx, graph, null);
    }

    /** @param io the I/O tab (charts from query-blockstats, guest workloads); may be null */
    public ConsoleViewModel(SessionLauncher launcher, Executor background, Executor fx, GraphViewModel graph,
                            IoViewModel io) {
        this.launcher = launcher;
        this.background = background;
        this.fx = fx;
        this.graph = graph;
        this.inspector = graph == null ? null : new InspectorViewModel(graph, fx);
        this.transaction = graph == null ? null
                : new TransactionViewModel(graph.stateProperty(), graph.selectionProperty(), graph::refresh, fx);
        this.edits = graph == null ? null : new EditViewModel(notices, fx);
        this.moves = graph == null ? null : new MoveViewModel(graph, edits, notices, fx);
        this.iothreads = graph == null ? null : new IothreadViewModel(graph, edits, notices, fx);
        this.qmpConsole = new QmpConsoleViewModel(fx);
        this.wireTrace = new WireTraceViewModel(fx);
        this.eventLog = new EventLogViewModel(fx);
        List<SessionPart> all = new ArrayList<>(List.of(qmpConsole, wireTrace, eventLog));
        if (inspector != null) {
            all.add(inspector);
            all.add(transaction);
            all.add(edits);
            all.add(moves);
            all.add(iothreads);
        }
        this.io = io;
        if (io != null) {
            all.add(io);
        }
        this.parts = List.copyOf(all);
        // what a move or an IOThread change came to is shown over the graph, and kept in the status bar
        notices.latestProperty().addListener((o, old, notice) -> {
            if (notice != null) {
                statusMessage.set(notice.text());
            }
        });
        sessionDescription.set(launcher.description());
    }

    /** The graph view's ViewModel, or null. */
    public GraphViewModel graph() {
        return graph;
    }

    /** The inspector of the graph's selection, or null without a graph. */
    public InspectorViewModel inspector() {
        return inspector;
    }

    /** The transaction composer and timeline, or null without a graph (it adds actions for the graph's nodes). */
    public TransactionViewModel transaction() {
        return transaction;
    }

    /** The I/O tab, or null. */
    public IoViewModel io() {
        return io;
    }

    /** The Edit menu's undo and redo of moves and IOThread changes; null without a graph. */
    public EditViewModel edits() {
        return edits;
    }

    /** Moves of drives (drag and drop, menus, keyboard); null without a graph. */
    public MoveViewModel moves() {
        return moves;
    }

    /** IOThread creation and deletion (undoable); null without a graph. */
    public IothreadViewModel iothreads() {
        return iothreads;
    }

    /** Where moves and IOThread changes report their outcome. */
    public NoticeBoard notices() {
        return notices;
    }

    public QmpConsoleViewModel qmpConsole() {
        return qmpConsole;
    }

    public WireTraceViewModel wireTrace() {
        return wireTrace;
    }

    public EventLogViewModel eventLog() {
        return eventLog;
    }

    /** Opens the session in the background. Call once. */
    public void connect() {
        setState(ConnectionState.CONNECTING, "");
        statusMessage.set("Opening " + launcher.description() + "…");
        background.execute(this::openSession);
    }

    private void openSession() {
        Session opened;
        try {
            opened = launcher.open(new SessionLauncher.Progress() {
                @Override
                public void step(String message) {
                    fx.execute(() -> statusMessage.set(message));
                }

                @Override
                public void socket(Path socket) {
                    fx.execute(() -> socketPath.set(socket.toString()));
                }
            });
        } catch (Throwable e) {
            String message = describe(e);
            fx.execute(() -> {
                if (!isShutdown()) {
                    setState(ConnectionState.FAILED, message);
                    statusMessage.set("Connection failed: " + message);
                }
            });
            return;
        }
        synchronized (lock) {
            if (shutdown) {
                opened.close();
                return;
            }
            session = opened;
        }
        Session s = opened;
        // before anything of ours is sent, so the trace and the event log miss nothing
        parts.forEach(p -> p.attach(s));
        s.addEventListener(event -> {
            if (RUN_STATE_EVENTS.contains(event.name())) {
                refreshRunState(s);
            }
        });
        s.closed().whenComplete((ok, error) -> fx.execute(() -> {
            if (!isShutdown()) {
                setState(ConnectionState.DISCONNECTED, error == null ? "" : describe(error));
                runState.set(NONE);
                statusMessage.set("The monitor connection closed.");
                if (graph != null) {
                    graph.detach("The monitor connection closed.");
                }
                parts.forEach(p -> p.detach("The monitor connection closed."));
            }
        }));
        fx.execute(() -> {
            socketPath.set(s.endpoint());
            qemuVersion.set(s.qemuVersion().display());
            if (connectionState.get() == ConnectionState.CONNECTING) {
                setState(ConnectionState.CONNECTED, "");
            }
            statusMessage.set("Connected to " + s.endpoint());
            if (graph != null) {
                graph.attach(s);
            }
        });
        s.queryName().whenComplete((name, error) -> fx.execute(() -> {
            if (isShutdown() || connectionState.get() != ConnectionState.CONNECTED) {
                return;
            }
            if (error != null) {
                vmName.set(unavailable(error));
            } else {
                vmName.set(name.orElse("(unnamed)"));
                name.ifPresent(n -> statusMessage.set("Connected to " + n + " at " + s.endpoint()));
            }
        }));
        refreshRunState(s);
    }

    /**
     * Writes the block graph as Graphviz DOT (FX thread), titled with the VM's name; the status bar says how
     * it went.
     *
     * @return true when the file was written
     */
    public boolean exportDot(Path file) {
        if (graph == null) {
            return false;
        }
        String name = vmName.get();
        String title = name == null || NONE.equals(name) || name.startsWith("(") || name.startsWith("unavailable")
                ? "" : name;
        try {
            Files.writeString(file, graph.dot(title), StandardCharsets.UTF_8);
            statusMessage.set("Exported the block graph as DOT to " + file);
            return true;
        } catch (IOException | RuntimeException e) {
            statusMessage.set("DOT export failed: " + describe(e));
            return false;
        }
    }

    /** A message for the status bar from the view (e.g. the PNG export's outcome). */
    public void showStatus(String message) {
        statusMessage.set(message);
    }

    private void refreshRunState(Session s) {
        s.queryStatus().whenComplete((status, error) -> fx.execute(() -> {
            if (isShutdown() || connectionState.get() != ConnectionState.CONNECTED) {
                return;
            }
            runState.set(error != null ? unavailable(error) : format(status));
        }));
    }

    /** What a field shows when its query failed: short, since the sidebar is narrow. */
    static String unavailable(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof QmpCommandException q) {
            return "unavailable (" + q.getErrorClass() + ")";
        }
        return "unavailable";
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String format(VmStatus status) {
        return status.status();
    }

    private void setState(ConnectionState state, String error) {
        connectionState.set(state);
        connectionStateText.set(state.label());
        errorText.set(error);
    }

    private boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    /** Closes the session (and stops an embedded engine). Idempotent; safe to call before it connected. */
    public void shutdown() {
        Session s;
        synchronized (lock) {
            if (shutdown) {
                return;
            }
            shutdown = true;
            s = session;
            session = null;
        }
        fx.execute(() -> {
            if (graph != null) {
                graph.detach("Closed.");
            }
            parts.forEach(p -> p.detach("Closed."));
        });
        if (s != null) {
            s.close();
        }
    }

    /** A one-line message for an error, without the wrappers futures add. */
    static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof QmpCommandException q) {
            return q.getErrorClass() + ": " + q.getDesc();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return Optional.ofNullable(t.getCause())
                .filter(c -> c.getMessage() != null && !message.contains(c.getMessage()))
                .map(c -> message + ": " + c.getMessage())
                .orElse(message);
    }

    public ReadOnlyObjectProperty<ConnectionState> connectionStateProperty() {
        return connectionState;
    }

    public ReadOnlyStringProperty connectionStateTextProperty() {
        return connectionStateText;
    }

    public ReadOnlyStringProperty errorTextProperty() {
        return errorText;
    }

    public ReadOnlyStringProperty socketPathProperty() {
        return socketPath;
    }

    public ReadOnlyStringProperty qemuVersionProperty() {
        return qemuVersion;
    }

    public ReadOnlyStringProperty vmNameProperty() {
        return vmName;
    }

    public ReadOnlyStringProperty runStateProperty() {
        return runState;
    }

    public ReadOnlyStringProperty statusMessageProperty() {
        return statusMessage;
    }

    public ReadOnlyStringProperty sessionDescriptionProperty() {
        return sessionDescription;
    }
}
