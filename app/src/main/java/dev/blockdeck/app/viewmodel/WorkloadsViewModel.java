package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.io.GuestWorkloadCommands;
import dev.blockdeck.app.io.WorkloadInfo;
import dev.blockdeck.app.io.WorkloadSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's guest workloads, from the I/O tab: start one from a {@link WorkloadSpec}, stop one, and their
 * counters (verified reads, verify failures, errors) refreshed with every I/O poll. Only where the VM has the
 * commands ({@code query-commands} lists {@value GuestWorkloadCommands#START}): QEMU has not, and then
 * {@link #unavailableProperty()} says why.
 *
 * <p>A stopped workload leaves the engine's list; its final counters (the stop command's answer) stay in
 * {@link #workloads()} until the session ends, so what it verified remains readable.
 *
 * <p>Threading: properties change on {@code fx} only.
 */
public final class WorkloadsViewModel {

    static final String CHECKING = "Checking whether this VM runs guest workloads (query-commands)…";
    static final String NOT_CONNECTED = "Not connected.";

    private final Executor fx;
    private final ObservableList<WorkloadInfo> workloads = FXCollections.observableArrayList();
    private final BooleanProperty available = new SimpleBooleanProperty();
    private final StringProperty unavailable = new SimpleStringProperty(NOT_CONNECTED);
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty messageIsError = new SimpleBooleanProperty();
    private final AtomicBoolean querying = new AtomicBoolean();

    private volatile Session session;
    private volatile boolean supported;

    WorkloadsViewModel(Executor fx) {
        this.fx = fx;
    }

    void attach(Session s) {
        session = s;
        supported = false;
        fx.execute(() -> {
            workloads.clear();
            message.set("");
            available.set(false);
            unavailable.set(CHECKING);
        });
        send(s, "query-commands", null).whenComplete((answer, error) -> {
            boolean has = error == null && hasStart(answer);
            fx.execute(() -> {
                if (session != s) {
                    return;
                }
                supported = has;
                available.set(has);
                unavailable.set(has ? "" : error != null
                        ? "Guest workloads are unavailable: query-commands failed (" + ConsoleViewModel.describe(error) + ")."
                        : "This VM has no guest workloads: " + GuestWorkloadCommands.START + " is not in its"
                        + " query-commands (QEMU has none). They run on BlockDeck's embedded engine.");
                if (has) {
                    poll();
                }
            });
        });
    }

    void detach(String why) {
        session = null;
        supported = false;
        available.set(false);
        unavailable.set(why == null || why.isBlank() ? NOT_CONNECTED : why);
        busy.set(false);
        workloads.replaceAll(WorkloadInfo::stopped);
    }

    private static boolean hasStart(JsonNode commands) {
        if (commands == null) {
            return false;
        }
        for (JsonNode c : commands) {
            if (GuestWorkloadCommands.START.equals(c.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Reads the counters again (any thread); nothing when the VM has no workloads or a read is in flight. */
    void poll() {
        Session s = session;
        if (s == null || !supported || !querying.compareAndSet(false, true)) {
            return;
        }
        send(s, GuestWorkloadCommands.QUERY, null).whenComplete((answer, error) -> {
            querying.set(false);
            if (error == null && answer != null) {
                List<WorkloadInfo> running = new ArrayList<>();
                answer.forEach(o -> running.add(WorkloadInfo.parse(o)));
                fx.execute(() -> {
                    if (session == s) {
                        merge(running);
                    }
                });
            }
        });
    }

    /** The engine's list, plus the stopped ones we still show; one that vanished (stopped elsewhere) stops here. */
    private void merge(List<WorkloadInfo> running) {
        Map<String, WorkloadInfo> byId = new LinkedHashMap<>();
        for (WorkloadInfo w : workloads) {
            byId.put(w.id(), w.running() ? w.stopped() : w);
        }
        running.forEach(w -> byId.put(w.id(), w));
        List<WorkloadInfo> list = new ArrayList<>(byId.values());
        if (!list.equals(workloads)) {
            workloads.setAll(list);
        }
    }

    /**
     * Starts a workload (FX thread); the outcome lands in {@link #messageProperty()}. The result completes on
     * {@code fx} with true when the engine took it.
     */
    public CompletableFuture<Boolean> start(WorkloadSpec spec) {
        Session s = session;
        List<String> problems = spec.problems();
        if (!problems.isEmpty()) {
            say(String.join(" ", problems), true);
            return CompletableFuture.completedFuture(false);
        }
        if (s == null || !supported) {
            say(unavailable.get(), true);
            return CompletableFuture.completedFuture(false);
        }
        busy.set(true);
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        send(s, GuestWorkloadCommands.START, spec.arguments()).whenComplete((answer, error) -> fx.execute(() -> {
            busy.set(false);
            if (error != null) {
                say("Start failed: " + ConsoleViewModel.describe(error), true);
                done.complete(false);
                return;
            }
            // the list shows it at once; the next poll brings its counters
            String id = spec.id().strip();
            List<WorkloadInfo> list = new ArrayList<>(workloads);
            list.removeIf(w -> w.id().equals(id));
            list.add(new WorkloadInfo(id, spec.drives(), 0, 0, 0, 0, 0, 0, 0, true, null));
            workloads.setAll(list);
            say("Started " + id + " on " + String.join(", ", spec.drives()) + ".", false);
            done.complete(true);
            poll();
        }));
        return done;
    }

    /** Stops workload {@code id} (FX thread): the engine waits for its requests and flushes its drives. */
    public void stop(String id) {
        Session s = session;
        if (s == null || !supported) {
            say(unavailable.get(), true);
            return;
        }
        busy.set(true);
        send(s, GuestWorkloadCommands.STOP, JsonNodeFactory.instance.objectNode().put("id", id))
                .whenComplete((answer, error) -> fx.execute(() -> {
                    busy.set(false);
                    if (error != null) {
                        say("Stop failed: " + ConsoleViewModel.describe(error), true);
                        return;
                    }
                    WorkloadInfo last = WorkloadInfo.parse(answer).stopped();
                    int at = indexOf(id);
                    if (at >= 0) {
                        workloads.set(at, last);
                    } else {
                        workloads.add(last);
                    }
                    say("Stopped " + id + ": " + last.ops() + " requests, " + last.verified() + " reads verified, "
                            + last.verifyFailures() + " failed verification, " + last.errors() + " errors.",
                            last.verifyFailures() > 0 || last.errors() > 0);
                }));
    }

    /** A command whose failure to even be sent (a closing connection) is a failed answer, not a throw. */
    private static CompletableFuture<JsonNode> send(Session s, String command, ObjectNode args) {
        try {
            return s.execute(command, args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Forgets the stopped workloads (FX thread). */
    public void clearStopped() {
        workloads.removeIf(w -> !w.running());
    }

    /** An id no workload in the list has: {@code w1}, {@code w2}, … */
    public String nextId() {
        for (int i = 1; ; i++) {
            String id = "w" + i;
            if (indexOf(id) < 0) {
                return id;
            }
        }
    }

    /** True when a running workload already has {@code id} (the engine refuses a second one). */
    public boolean isRunning(String id) {
        String t = id == null ? "" : id.strip();
        return workloads.stream().anyMatch(w -> w.running() && w.id().equals(t));
    }

    private int indexOf(String id) {
        for (int i = 0; i < workloads.size(); i++) {
            if (workloads.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private void say(String text, boolean error) {
        message.set(text);
        messageIsError.set(error);
    }

    public ObservableList<WorkloadInfo> workloads() {
        return workloads;
    }

    /** True when the VM has the workload commands (the embedded engine). */
    public ReadOnlyBooleanProperty availableProperty() {
        return available;
    }

    /** Why workloads cannot run here, or empty. */
    public ReadOnlyStringProperty unavailableProperty() {
        return unavailable;
    }

    /** A start or stop is in flight. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    /** The outcome of the last start or stop. */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError;
    }
}
