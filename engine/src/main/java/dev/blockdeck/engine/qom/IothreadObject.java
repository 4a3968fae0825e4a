package dev.blockdeck.engine.qom;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.glib.GlibStringHashTable;
import dev.blockdeck.qmp.QmpException;

/**
 * The QOM face of an {@link IoThread}: the {@code iothread} type with its six integer properties.
 * In QEMU three come from the abstract parent {@code event-loop-base} (aio-max-batch, thread-pool-min,
 * thread-pool-max) and three from {@code iothread} itself (the poll-* ones); each class keeps its own
 * property table, which is what decides qom-list's order.
 */
public final class IothreadObject implements QomObject {
    public static final String TYPE = "iothread";
    private static final List<String> EVENT_LOOP_BASE = List.of("aio-max-batch", "thread-pool-min", "thread-pool-max");
    private static final List<String> OWN = List.of("poll-max-ns", "poll-grow", "poll-shrink");
    /** The members of the QAPI type IothreadProperties, in schema order (base first). */
    public static final List<String> SCHEMA_ORDER = concat(EVENT_LOOP_BASE, OWN);
    /** Property iteration order: the iothread class table, then event-loop-base's (object's "type" last). */
    private static final List<String> CLASS_ORDER = concat(GlibStringHashTable.iterationOrder(OWN),
            GlibStringHashTable.iterationOrder(EVENT_LOOP_BASE));

    private final IoThread thread;
    /** QEMU's iothread has an AioContext only once complete; before that no cross-check runs. */
    private boolean complete;

    public IothreadObject(IoThread thread) {
        this.thread = thread;
    }

    public IoThread thread() {
        return thread;
    }

    /**
     * QEMU's completion of an iothread: the thread-pool bounds are checked when the AioContext takes
     * them, then the thread starts.
     */
    void complete() {
        checkThreadPool();
        complete = true;
        thread.start();
    }

    /** Sets an integer property as QEMU's setters do: type, then range, then store, then re-apply. */
    void set(String name, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new QmpException("Invalid parameter type for '" + name + "', expected: integer");
        }
        set(name, value.longValue());
    }

    void set(String name, long v) {
        if (v < 0) {
            throw new QmpException(name + " value must be in range [0, " + Long.MAX_VALUE + "]");
        }
        switch (name) {
            case "poll-max-ns" -> thread.setPollMaxNs(v);
            case "poll-grow" -> thread.setPollGrow(v);
            case "poll-shrink" -> thread.setPollShrink(v);
            case "aio-max-batch" -> thread.setAioMaxBatch(v);
            case "thread-pool-min" -> thread.setThreadPoolMin(v);
            case "thread-pool-max" -> thread.setThreadPoolMax(v);
            default -> throw new IllegalArgumentException(name);
        }
        // event-loop-base re-applies all its parameters to a live context; the value stays set even
        // when that fails (QEMU stores first, checks after)
        if (complete && EVENT_LOOP_BASE.contains(name)) {
            checkThreadPool();
        }
    }

    long get(String name) {
        return switch (name) {
            case "poll-max-ns" -> thread.pollMaxNs();
            case "poll-grow" -> thread.pollGrow();
            case "poll-shrink" -> thread.pollShrink();
            case "aio-max-batch" -> thread.aioMaxBatch();
            case "thread-pool-min" -> thread.threadPoolMin();
            case "thread-pool-max" -> thread.threadPoolMax();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private void checkThreadPool() {
        long min = thread.threadPoolMin();
        long max = thread.threadPoolMax();
        if (min > max || max == 0 || min > Integer.MAX_VALUE || max > Integer.MAX_VALUE) {
            throw new QmpException("bad thread-pool-min/thread-pool-max values");
        }
    }

    @Override
    public String typename() {
        return TYPE;
    }

    @Override
    public boolean modelled() {
        return true;
    }

    @Override
    public List<QomProperty> properties() {
        List<QomProperty> props = new ArrayList<>();
        for (String name : CLASS_ORDER) {
            props.add(new QomProperty(name, "int", () -> JsonNodeFactory.instance.numberNode(get(name)),
                    value -> set(name, value)));
        }
        props.add(QomProperty.readOnly("type", "string", () -> JsonNodeFactory.instance.textNode(TYPE)));
        return props;
    }

    @Override
    public Optional<QomObject> resolveComponent(String name) {
        return Optional.empty();
    }

    @Override
    public Collection<QomObject> children() {
        return List.of();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
