package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.qmp.client.QmpClient;
import dev.blockdeck.qmp.client.WireTracer;
import dev.blockdeck.qmp.json.QmpJsonWriter;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Everything a {@link QmpClient} sends and receives, kept (bounded) from the moment the connection is made,
 * so a listener that subscribes after capability negotiation still sees it from the start.
 */
public final class WireLog implements WireTracer {

    /** Oldest messages are dropped beyond this; a busy graph re-read costs about ten. */
    public static final int CAPACITY = 5000;

    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<WireMessage> kept = new ArrayDeque<>();
    private final List<Consumer<WireMessage>> listeners = new CopyOnWriteArrayList<>();

    WireLog(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    /**
     * Traces {@code client} from now on. Its greeting was read before this could be installed, so it is
     * logged first, re-serialised and marked as such.
     */
    static WireLog attach(QmpClient client) {
        WireLog log = new WireLog(Clock.systemDefaultZone(), CAPACITY);
        JsonNode greeting = client.greeting();
        if (greeting != null) {
            ObjectNode whole = JsonNodeFactory.instance.objectNode();
            whole.set("QMP", greeting);
            log.add(new WireMessage(log.clock.instant(), WireMessage.Direction.RECEIVED, QmpJsonWriter.write(whole),
                    "greeting, received before tracing began: re-serialised"));
        }
        client.setWireTracer(log);
        return log;
    }

    @Override
    public void onMessage(Direction direction, String json) {
        add(new WireMessage(clock.instant(), direction == Direction.SENT ? WireMessage.Direction.SENT
                : WireMessage.Direction.RECEIVED, json, ""));
    }

    void add(WireMessage m) {
        // under the lock so that a new subscriber's replay and the live feed neither overlap nor leave a gap
        synchronized (kept) {
            kept.addLast(m);
            while (kept.size() > capacity) {
                kept.removeFirst();
            }
            for (Consumer<WireMessage> l : listeners) {
                l.accept(m);
            }
        }
    }

    /** Replays what is kept, then passes on every new message; called on the thread that traced it. */
    public void subscribe(Consumer<WireMessage> listener) {
        synchronized (kept) {
            for (WireMessage m : new ArrayList<>(kept)) {
                listener.accept(m);
            }
            listeners.add(listener);
        }
    }
}
