package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.qmp.QmpCommandException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * QMP answers recorded from a real QEMU 7.2 by {@code app/src/test/scripts/record-qmp.py}, replayed as
 * {@link QmpCommands}. A command that was not recorded fails the test loudly; answers can be overridden to
 * play the engine (e.g. with {@value BlockStateReader#AIO_CONTEXTS}).
 */
public final class Recording implements QmpCommands {

    public static final ObjectMapper JSON = new ObjectMapper();

    private record Key(String command, JsonNode arguments) {
    }

    private final Map<Key, JsonNode> answers = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();
    /** Every command asked, in order: {@code "qom-get {...}"} or {@code "query-block"}. */
    public final List<String> asked = new CopyOnWriteArrayList<>();

    private Recording() {
    }

    /** {@code chains} or {@code device}: resource {@code qemu72-NAME.json} next to this class. */
    public static Recording load(String name) {
        try (InputStream in = Recording.class.getResourceAsStream("qemu72-" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no recording " + name);
            }
            Recording r = new Recording();
            for (JsonNode c : JSON.readTree(in).path("commands")) {
                ObjectNode answer = JSON.createObjectNode();
                if (c.has("error")) {
                    answer.set("error", c.get("error"));
                } else {
                    answer.set("return", c.get("return"));
                }
                r.answers.put(new Key(c.path("execute").asText(), c.get("arguments")), answer);
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces (or adds) the answer to a command without arguments. */
    public Recording answer(String command, String returnJson) {
        try {
            answers.put(new Key(command, null), JSON.createObjectNode().set("return", JSON.readTree(returnJson)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a command fail with {@code errorClass}, whatever its arguments. */
    public Recording fail(String command, String errorClass) {
        failures.put(command, errorClass);
        return this;
    }

    /** The recorded return value (for expectations), e.g. of query-named-block-nodes. */
    public JsonNode returned(String command, JsonNode arguments) {
        return answers.get(new Key(command, arguments)).get("return");
    }

    public long count(String command) {
        return asked.stream().filter(a -> a.equals(command) || a.startsWith(command + " ")).count();
    }

    @Override
    public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
        asked.add(arguments == null ? command : command + " " + arguments);
        if (failures.containsKey(command)) {
            return CompletableFuture.failedFuture(new QmpCommandException(failures.get(command),
                    "The command " + command + " has not been found"));
        }
        JsonNode answer = answers.get(new Key(command, arguments));
        if (answer == null) {
            return CompletableFuture.failedFuture(new AssertionError("not recorded: " + command + " " + arguments));
        }
        if (answer.has("error")) {
            return CompletableFuture.failedFuture(new QmpCommandException(answer.path("error").path("class").asText(),
                    answer.path("error").path("desc").asText()));
        }
        return CompletableFuture.completedFuture(answer.get("return"));
    }

    /** The node-names query-named-block-nodes returned. */
    public List<String> namedNodes() {
        List<String> names = new ArrayList<>();
        returned("query-named-block-nodes", JSON.createObjectNode().put("flat", true))
                .forEach(n -> names.add(n.path("node-name").asText()));
        return names;
    }
}
