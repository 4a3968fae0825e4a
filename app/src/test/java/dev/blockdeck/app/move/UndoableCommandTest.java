package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.Placement;
import dev.blockdeck.app.model.QmpCommands;
import dev.blockdeck.qmp.QmpCommandException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * IOThread creation and deletion as undoable commands, one history for them and moves, and the lanes a drive can be
 * chosen to move to. The QMP answers are QEMU 7.2's (recorded with qemu-system-x86_64 -M none).
 */
class UndoableCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Answers query-iothreads with {@code threads} and records every command with its arguments. */
    private static final class Vm implements QmpCommands {
        final List<String> asked = new ArrayList<>();
        final String threads;

        Vm(String threads) {
            this.threads = threads;
        }

        @Override
        public CompletableFuture<JsonNode> execute(String command, ObjectNode args) {
            asked.add(args == null ? command : command + " " + args);
            try {
                return switch (command) {
                    case "query-iothreads" -> CompletableFuture.completedFuture(JSON.readTree(threads));
                    case "object-del" -> args.path("id").asText().equals("io1")
                            ? CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode())
                            : CompletableFuture.failedFuture(new QmpCommandException("GenericError",
                            "object '" + args.path("id").asText() + "' not found"));
                    default -> CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode());
                };
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    // query-iothreads of QEMU 7.2 after object-add io1 with all four parameters, and io2 with none
    private static final String THREADS = "[{\"poll-shrink\": 5, \"thread-id\": 27861, \"aio-max-batch\": 7,"
            + " \"poll-grow\": 3, \"poll-max-ns\": 1000, \"id\": \"io1\"}, {\"poll-shrink\": 0, \"thread-id\": 27985,"
            + " \"aio-max-batch\": 0, \"poll-grow\": 0, \"poll-max-ns\": 32768, \"id\": \"io2\"}]";

    @Test
    void aDeletionReadsThePollParametersSoItsUndoCreatesTheSameIothread() throws Exception {
        Vm vm = new Vm(THREADS);
        IothreadCommand.Delete asked = new IothreadCommand.Delete("io1", IothreadParams.DEFAULTS);
        UndoableCommand done = asked.perform(vm).get();
        assertThat(vm.asked).containsExactly("query-iothreads", "object-del {\"id\":\"io1\"}");
        assertThat(done).isEqualTo(new IothreadCommand.Delete("io1", new IothreadParams(Map.of("poll-max-ns", 1000L,
                "poll-grow", 3L, "poll-shrink", 5L, "aio-max-batch", 7L))));

        IothreadCommand.Create back = ((IothreadCommand.Delete) done).inverse();
        assertThat(back.arguments().toString()).isEqualTo("{\"qom-type\":\"iothread\",\"id\":\"io1\",\"poll-max-ns\":1000,"
                + "\"poll-grow\":3,\"poll-shrink\":5,\"aio-max-batch\":7}");
        assertThat(back.params().describe()).isEqualTo("poll-max-ns 1000, poll-grow 3, poll-shrink 5, aio-max-batch 7");
        assertThat(back.inverse()).isEqualTo(done);
        assertThat(done.describe()).isEqualTo("delete IOThread io1");
        assertThat(done.undoing()).isEqualTo("creating IOThread io1 again");
        assertThat(back.undoing()).isEqualTo("deleting IOThread io1");
    }

    @Test
    void aNewIothreadHasTheVmsDefaultsAndARefusedDeletionFails() {
        IothreadCommand.Create create = new IothreadCommand.Create("io9", IothreadParams.DEFAULTS);
        assertThat(create.arguments().toString()).isEqualTo("{\"qom-type\":\"iothread\",\"id\":\"io9\"}");
        assertThat(create.describe()).isEqualTo("create IOThread io9");
        Vm vm = new Vm(THREADS);
        assertThatThrownBy(() -> create.inverse().perform(vm).join()).hasCauseInstanceOf(QmpCommandException.class)
                .hasMessageContaining("object 'io9' not found");
    }

    @Test
    void oneHistoryUndoesWhatWasDoneAsItWasDone() {
        EditHistory h = new EditHistory();
        IothreadCommand.Create created = new IothreadCommand.Create("io1", IothreadParams.DEFAULTS);
        MoveDriveCommand moved = new MoveDriveCommand.NodeMove("node:a", "a", "a", null, "io1", false, List.of("a"));
        h.done(created);
        h.done(moved);
        assertThat(h.nextUndo()).contains(moved);
        h.undone(moved, moved);
        assertThat(h.nextUndo()).contains(created);
        // the creation was undone by a deletion that read poll-max-ns 5: a redo creates it with that
        IothreadCommand.Create asItWas = new IothreadCommand.Create("io1", new IothreadParams(Map.of("poll-max-ns", 5L)));
        h.undone(created, asItWas);
        assertThat(h.nextRedo()).contains(asItWas);
        h.redone(asItWas, asItWas);
        assertThat(h.nextUndo()).contains(asItWas);
        assertThat(h.nextRedo()).contains(moved);
    }

    @Test
    void aDriveCanBeChosenIntoEveryLaneButTheOneItIsIn() {
        BlockState s = new States().iothread("t0").iothread("t1")
                .backend("d", "vd", "t1", Placement.deviceLink("t1", "vd"))
                .node("top", "qcow2", Placement.deviceLink("t1", "vd"))
                .node("file", "file", Placement.deviceLink("t1", "vd"))
                .edge("backend:d", "node:top", "root").edge("node:top", "node:file", "file")
                .build();
        MoveChoices c = MoveChoices.of(s, "backend:d").orElseThrow();
        assertThat(c.label()).isEqualTo("d (vd)");
        assertThat(c.targets()).containsExactly(new MoveChoices.Target(null, false),
                new MoveChoices.Target("t0", false), new MoveChoices.Target("t1", true));
        assertThat(c.targets().get(0).title()).isEqualTo("main loop");
        assertThat(c.targets().get(0).laneId()).isEqualTo("main-loop");
        assertThat(MoveChoices.of(s, "node:file")).as("inside a chain: its drive moves").isEmpty();
        assertThat(MoveChoices.of(s, "iothread:t0")).as("a lane header").isEmpty();
        assertThat(MoveChoices.of(s, null)).isEmpty();
    }
}
