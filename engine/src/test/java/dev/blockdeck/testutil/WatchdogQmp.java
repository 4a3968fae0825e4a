package dev.blockdeck.testutil;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.qmp.QmpCommandException;
import dev.blockdeck.qmp.client.QmpClient;

/**
 * A QMP session for tests that must never hang: every call gets {@value #LIMIT_S} seconds; a call not answered by
 * then fails the test with a dump of every thread of this JVM (where an in-process engine runs), so a deadlock
 * shows where it is instead of stalling the build.
 */
public final class WatchdogQmp implements AutoCloseable {
    public static final long LIMIT_S = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QmpClient client;

    private WatchdogQmp(QmpClient client) {
        this.client = client;
    }

    public static WatchdogQmp connect(Path socket) throws Exception {
        QmpClient c = QmpClient.connect(socket).get(LIMIT_S, TimeUnit.SECONDS);
        c.negotiate().get(LIMIT_S, TimeUnit.SECONDS);
        return new WatchdogQmp(c);
    }

    public QmpClient client() {
        return client;
    }

    /**
     * Runs a command; returns the answer as an iotests log line would show it ({@code {"return": ...}} or
     * {@code {"error": {"class": ..., "desc": ...}}}, keys sorted).
     */
    public ObjectNode call(String command, String argumentsJson) {
        ObjectNode args;
        try {
            args = argumentsJson == null ? null : (ObjectNode) JSON.readTree(argumentsJson);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        try {
            JsonNode r = client.execute(command, args).get(LIMIT_S, TimeUnit.SECONDS);
            out.set("return", r);
        } catch (TimeoutException e) {
            throw new AssertionError(command + " not answered within " + LIMIT_S + " s\n" + threadDump());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpCommandException q) {
                ObjectNode err = out.putObject("error");
                err.put("class", q.getErrorClass());
                err.put("desc", q.getDesc());
            } else {
                throw new AssertionError(command + " failed", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }

    /** Like {@link #call} but the command must succeed; returns its {@code return} value. */
    public JsonNode ok(String command, String argumentsJson) {
        ObjectNode a = call(command, argumentsJson);
        if (a.has("error")) {
            throw new AssertionError(command + " " + argumentsJson + " failed: " + a);
        }
        return a.get("return");
    }

    public static String threadDump() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            sb.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState()).append('\n');
            for (StackTraceElement f : e.getValue()) {
                sb.append("    at ").append(f).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
