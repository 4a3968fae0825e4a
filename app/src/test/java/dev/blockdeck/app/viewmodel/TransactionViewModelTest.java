package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.BlockStateReader;
import dev.blockdeck.app.model.Recording;
import dev.blockdeck.app.txn.ActionKind;
import dev.blockdeck.app.txn.TxnRecord;
import dev.blockdeck.app.txn.TxnTrace;
import dev.blockdeck.qmp.QmpCommandException;
import dev.blockdeck.qmp.QmpEvent;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The composer and timeline without a screen: a fake session that answers {@code transaction} as the engine
 * (trace event, then the answer) or as QEMU (answer only), over a block state recorded from QEMU 7.2.
 */
class TransactionViewModelTest {

    private final BlockState state = new BlockStateReader(Recording.load("chains")).read().join();
    private final SimpleStringProperty selection = new SimpleStringProperty();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();
    private final FakeSession session = new FakeSession();
    private TransactionViewModel vm;

    /** What the fake answers next: a trace event's data (or null: none, as QEMU) and an error (or null). */
    private volatile String traceJson;
    private volatile QmpCommandException error;
    private volatile CompletableFuture<JsonNode> answer;

    @BeforeEach
    void setUp() {
        session.commands = (command, args) -> {
            assertThat(command).isEqualTo("transaction");
            sent.add(args);
            if (answer != null) {
                return answer;
            }
            if (traceJson != null) {
                session.emit(new QmpEvent(TxnTrace.EVENT, json(traceJson), 0, 0));
            }
            return error != null ? CompletableFuture.failedFuture(error)
                    : CompletableFuture.completedFuture(Recording.JSON.createObjectNode());
        };
        vm = new TransactionViewModel(new SimpleObjectProperty<>(state), selection, refreshes::incrementAndGet,
                Runnable::run, file -> false);
        vm.attach(session);
    }

    private static JsonNode json(String text) {
        try {
            return Recording.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String trace(String outcome, String error, String... actions) {
        return "{\"outcome\": \"" + outcome + "\"," + (error == null ? "" : " \"error\": \"" + error + "\",")
                + " \"total-ns\": 1000, \"actions\": [" + String.join(", ", actions) + "]}";
    }

    private static String action(String type, String... phases) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < phases.length; i += 3) {
            p.append(p.isEmpty() ? "" : ", ").append("{\"phase\": \"").append(phases[i]).append("\", \"start-ns\": ")
                    .append(phases[i + 1]).append(", \"end-ns\": ").append(phases[i + 2]).append('}');
        }
        return "{\"type\": \"" + type + "\", \"phases\": [" + p + "], \"drained\": []}";
    }

    @Test
    void composesForTheSelectionAndSendsOneTransaction() {
        selection.set("backend:drive0");
        assertThat(vm.targetProperty().get()).isEqualTo("For BlockBackend drive0");
        vm.add(ActionKind.SNAPSHOT_SYNC);
        selection.set("node:top2");
        ActionRow bitmap = vm.add(ActionKind.BITMAP_ADD);
        assertThat(vm.selectedProperty().get()).isSameAs(bitmap);
        vm.add(ActionKind.ABORT);
        vm.move(bitmap, -1);
        vm.remove(vm.actions().get(2));
        assertThat(vm.canApplyProperty().get()).isTrue();

        traceJson = trace("committed", null, action("block-dirty-bitmap-add", "prepare", "1", "2", "commit", "5", "6"),
                action("blockdev-snapshot-sync", "prepare", "2", "4", "commit", "6", "8", "clean", "9", "10"));
        vm.apply();

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).hasToString("{\"actions\":[{\"type\":\"block-dirty-bitmap-add\",\"data\":{\"node\":\"top2\","
                + "\"name\":\"bitmap0\"}},{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"drive0\","
                + "\"snapshot-file\":\"/tmp/bdrec/d0-snap1.qcow2\",\"format\":\"qcow2\"}}]}");
        TxnRecord r = vm.shownProperty().get();
        assertThat(r.outcome()).isEqualTo(TxnRecord.Outcome.COMMITTED);
        assertThat(r.fromComposer()).isTrue();
        assertThat(r.trace().types()).containsExactly("block-dirty-bitmap-add", "blockdev-snapshot-sync");
        assertThat(r.actions()).extracting(TxnRecord.Line::description)
                .containsExactly("add bitmap bitmap0 on top2", "drive0 → /tmp/bdrec/d0-snap1.qcow2 (qcow2)");
        assertThat(vm.actions()).as("committed actions leave the list").isEmpty();
        assertThat(vm.messageProperty().get()).isEqualTo("Committed 2 actions; the graph is read again.");
        assertThat(vm.messageIsErrorProperty().get()).isFalse();
        assertThat(refreshes).hasValue(1);
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void anAbortShowsQemusErrorOnTheActionThatFailedAndTheRollbackOnTheOthers() {
        selection.set("backend:drive0");
        ActionRow snapshot = vm.add(ActionKind.SNAPSHOT_SYNC);
        ActionRow abort = vm.add(ActionKind.ABORT);
        ActionRow after = vm.add(ActionKind.BITMAP_ADD);
        traceJson = trace("aborted", "Transaction aborted using Abort action",
                action("blockdev-snapshot-sync", "prepare", "1", "5", "abort", "8", "9", "clean", "10", "11"),
                action("abort", "prepare", "5", "6", "abort", "6", "7", "clean", "11", "12"),
                action("block-dirty-bitmap-add"));
        error = new QmpCommandException("GenericError", "Transaction aborted using Abort action");
        vm.apply();

        assertThat(abort.errorProperty().get()).isEqualTo("Transaction aborted using Abort action");
        assertThat(abort.statusProperty().get()).isEqualTo("prepare failed");
        assertThat(snapshot.statusProperty().get()).isEqualTo("rolled back");
        assertThat(snapshot.errorProperty().get()).isEmpty();
        assertThat(after.statusProperty().get()).isEqualTo("not reached");
        assertThat(vm.messageProperty().get()).isEqualTo(
                "Aborted, nothing changed: GenericError: Transaction aborted using Abort action");
        assertThat(vm.messageIsErrorProperty().get()).isTrue();
        assertThat(vm.actions()).as("kept, to fix and apply again").containsExactly(snapshot, abort, after);
        TxnRecord r = vm.shownProperty().get();
        assertThat(r.outcome()).isEqualTo(TxnRecord.Outcome.ABORTED);
        assertThat(r.trace().failedIndex()).isEqualTo(1);
        assertThat(refreshes).hasValue(1);

        // an edit clears the row's outcome
        vm.edit(snapshot, "format", "raw");
        assertThat(snapshot.statusProperty().get()).isEmpty();
        assertThat(snapshot.action().value("format")).isEqualTo("raw");
    }

    @Test
    void onQemuThereIsNoTraceAndTheErrorStaysOnTheList() {
        selection.set("backend:drive0");
        ActionRow snapshot = vm.add(ActionKind.SNAPSHOT_SYNC);
        ActionRow abort = vm.add(ActionKind.ABORT);
        error = new QmpCommandException("GenericError", "Transaction aborted using Abort action");
        vm.apply();

        assertThat(snapshot.statusProperty().get()).isEqualTo("not applied");
        assertThat(abort.statusProperty().get()).isEqualTo("not applied");
        assertThat(vm.messageProperty().get()).isEqualTo("Aborted, nothing changed: GenericError: Transaction aborted "
                + "using Abort action (QEMU does not say which action failed.)");
        TxnRecord r = vm.shownProperty().get();
        assertThat(r.trace()).isNull();
        assertThat(r.outcome()).isEqualTo(TxnRecord.Outcome.ABORTED);
        assertThat(r.error()).isEqualTo("Transaction aborted using Abort action");

        error = null;
        vm.remove(abort);
        vm.apply();
        assertThat(vm.messageProperty().get()).isEqualTo("Committed 1 action; the graph is read again. (This VM sends no phase trace.)");
        assertThat(vm.records()).extracting(TxnRecord::number).containsExactly(2, 1);
    }

    @Test
    void aListWithProblemsIsNotSent() {
        vm.add(ActionKind.SNAPSHOT_SYNC);
        assertThat(vm.problemsProperty().get()).isEqualTo("#1 give device or node-name · #1 snapshot-file is required");
        assertThat(vm.canApplyProperty().get()).isFalse();
        vm.apply();
        assertThat(vm.messageProperty().get()).startsWith("Fix the list first: #1 give device");
        assertThat(sent).isEmpty();
        ActionRow row = vm.actions().get(0);
        vm.edit(row, "node-name", "top2");
        vm.edit(row, "snapshot-file", "/tmp/x.qcow2");
        assertThat(vm.problemsProperty().get()).isEmpty();
        assertThat(vm.canApplyProperty().get()).isTrue();
    }

    @Test
    void aTransactionRunElsewhereJoinsTheTimelineFromItsTrace() {
        session.emit(new QmpEvent(TxnTrace.EVENT, json(trace("committed", null,
                action("blockdev-snapshot-sync", "prepare", "1", "2"))), 0, 0));
        TxnRecord r = vm.shownProperty().get();
        assertThat(r.fromComposer()).isFalse();
        assertThat(r.outcome()).isEqualTo(TxnRecord.Outcome.COMMITTED);
        assertThat(r.title()).endsWith("Committed · 1 action (not from the composer)");
        assertThat(refreshes).as("the graph follows events by itself").hasValue(0);
    }

    @Test
    void theTimelineKeepsTheLastTransactions() {
        for (int i = 0; i < TransactionViewModel.MAX_RECORDS + 3; i++) {
            session.emit(new QmpEvent(TxnTrace.EVENT, json(trace("committed", null)), 0, 0));
        }
        assertThat(vm.records()).hasSize(TransactionViewModel.MAX_RECORDS);
        assertThat(vm.records().get(0).number()).isEqualTo(TransactionViewModel.MAX_RECORDS + 3);
        assertThat(vm.shownProperty().get()).isSameAs(vm.records().get(0));
    }

    @Test
    void aLostConnectionLeavesTheOutcomeUnknown() {
        vm.add(ActionKind.ABORT);
        answer = new CompletableFuture<>();
        vm.apply();
        assertThat(vm.busyProperty().get()).isTrue();
        assertThat(vm.canApplyProperty().get()).isFalse();
        assertThat(vm.shownProperty().get().outcome()).isEqualTo(TxnRecord.Outcome.RUNNING);
        vm.detach("The monitor connection closed.");
        assertThat(vm.shownProperty().get().outcome()).isEqualTo(TxnRecord.Outcome.NO_ANSWER);
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.messageProperty().get()).startsWith("No answer: The monitor connection closed.");
        assertThat(vm.connectedProperty().get()).isFalse();
    }

    @Test
    void bitmapChoicesFollowTheNodeField() {
        selection.set("node:top2");
        ActionRow row = vm.add(ActionKind.BITMAP_REMOVE);
        assertThat(vm.bitmapChoices(row)).containsExactly("bm0", "bm1");
        vm.edit(row, "node", "d0");
        assertThat(vm.bitmapChoices(row)).isEmpty();
        assertThat(vm.targetChoices()).contains("top2", "drive0");
    }
}
