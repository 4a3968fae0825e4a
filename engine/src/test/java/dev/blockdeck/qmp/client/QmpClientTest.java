package dev.blockdeck.qmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.qmp.QmpCommandException;
import dev.blockdeck.qmp.QmpEvent;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;

/** The one client the console uses, against the engine and against real QEMU 7.2. */
class QmpClientTest {
    interface Server extends AutoCloseable {
        Path socket();

        @Override
        void close() throws Exception;
    }

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("engine"), Arguments.of("qemu"));
    }

    private static Server start(String kind) throws Exception {
        if (kind.equals("qemu")) {
            Qemu q = Qemu.start();
            return new Server() {
                public Path socket() {
                    return q.socket();
                }

                public void close() {
                    q.close();
                }
            };
        }
        EngineProcess e = EngineProcess.start();
        return new Server() {
            public Path socket() {
                return e.socket();
            }

            public void close() {
                e.close();
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void commandsEventsErrorsAndClose(String kind) throws Exception {
        if (kind.equals("qemu")) {
            Qemu.requireBinary();
        }
        try (Server s = start(kind)) {
            QmpClient c = QmpClient.connect(s.socket()).get(10, TimeUnit.SECONDS);
            List<String> wire = new CopyOnWriteArrayList<>();
            c.setWireTracer((dir, json) -> wire.add(dir + " " + json));
            assertThat(c.greeting().at("/version/qemu/major").asInt()).isEqualTo(7);
            assertThat(c.greeting().at("/version/qemu/minor").asInt()).isEqualTo(2);

            // before negotiation a command is refused with QEMU's class
            assertThat(c.execute("query-status")).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOfSatisfying(QmpCommandException.class,
                            e -> assertThat(e.getErrorClass()).isEqualTo("CommandNotFound"));
            c.negotiate().get(5, TimeUnit.SECONDS);

            List<QmpEvent> events = new CopyOnWriteArrayList<>();
            c.addEventListener(events::add);
            c.execute("stop").get(5, TimeUnit.SECONDS);
            assertThat(events).extracting(QmpEvent::name).containsExactly("STOP");
            assertThat(events.get(0).seconds()).isPositive();

            // 64 commands in flight at once, each answered to its own future
            List<CompletableFuture<JsonNode>> inFlight = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                inFlight.add(c.execute(i % 2 == 0 ? "query-status" : "query-version"));
            }
            for (int i = 0; i < 64; i++) {
                JsonNode r = inFlight.get(i).get(10, TimeUnit.SECONDS);
                assertThat(r.has(i % 2 == 0 ? "status" : "qemu")).isTrue();
            }

            assertThat(c.execute("no-such-command")).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOfSatisfying(QmpCommandException.class, e -> {
                        assertThat(e.getErrorClass()).isEqualTo("CommandNotFound");
                        assertThat(e.getDesc()).isEqualTo("The command no-such-command has not been found");
                    });
            assertThat(wire).anyMatch(l -> l.startsWith("SENT {\"execute\": \"stop\""))
                    .anyMatch(l -> l.startsWith("RECEIVED {\"event\": \"STOP\"") || l.contains("\"STOP\""));

            c.execute("quit").get(5, TimeUnit.SECONDS);
            c.closed().get(10, TimeUnit.SECONDS);
            assertThat(c.execute("query-status")).failsWithin(Duration.ofSeconds(5));
        }
    }
}
