package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.model.QmpCommands;

import java.util.concurrent.CompletableFuture;

/**
 * An IOThread created ({@code object-add}) or deleted ({@code object-del}) from the console, undoable: the
 * inverse of a creation deletes the same id, the inverse of a deletion creates it again with the same id and poll
 * parameters. Immutable.
 */
public sealed interface IothreadCommand extends UndoableCommand
        permits IothreadCommand.Create, IothreadCommand.Delete {

    /** The iothread's id (its QOM object is {@code /objects/ID}). */
    String id();

    IothreadParams params();

    /** {@code object-add {"qom-type": "iothread", "id": ID, ...params}}. */
    record Create(String id, IothreadParams params) implements IothreadCommand {

        public ObjectNode arguments() {
            ObjectNode a = JsonNodeFactory.instance.objectNode().put("qom-type", "iothread").put("id", id);
            params.addTo(a);
            return a;
        }

        @Override
        public CompletableFuture<UndoableCommand> perform(QmpCommands qmp) {
            return qmp.execute("object-add", arguments()).thenApply(answer -> this);
        }

        @Override
        public String describe() {
            return "create IOThread " + id;
        }

        @Override
        public String undoing() {
            return "deleting IOThread " + id;
        }

        @Override
        public Delete inverse() {
            return new Delete(id, params);
        }
    }

    /**
     * {@code object-del {"id": ID}}. Its parameters are read with {@code query-iothreads} right before it is sent,
     * so that the one done (see {@link #perform}) re-creates the iothread as it was at that moment.
     */
    record Delete(String id, IothreadParams params) implements IothreadCommand {

        @Override
        public CompletableFuture<UndoableCommand> perform(QmpCommands qmp) {
            return current(qmp).thenCompose(now -> qmp.execute("object-del",
                    JsonNodeFactory.instance.objectNode().put("id", id)).thenApply(answer -> new Delete(id, now)));
        }

        /** The iothread's parameters as the VM reports them, or {@link #params} when it cannot tell. */
        private CompletableFuture<IothreadParams> current(QmpCommands qmp) {
            CompletableFuture<JsonNode> list;
            try {
                list = qmp.execute("query-iothreads", null);
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(params);
            }
            return list.handle((threads, error) -> {
                if (error == null && threads != null) {
                    for (JsonNode t : threads) {
                        if (id.equals(t.path("id").asText())) {
                            return IothreadParams.of(t);
                        }
                    }
                }
                return params;
            });
        }

        @Override
        public String describe() {
            return "delete IOThread " + id;
        }

        @Override
        public String undoing() {
            return "creating IOThread " + id + " again";
        }

        @Override
        public Create inverse() {
            return new Create(id, params);
        }
    }
}
