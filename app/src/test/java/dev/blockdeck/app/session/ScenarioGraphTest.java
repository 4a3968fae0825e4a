package dev.blockdeck.app.session;

import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.BlockStateReader;
import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.Lane;
import dev.blockdeck.app.model.NodeKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each shipped scenario opened as the console opens it (images created, engine started, {@code #! qmp} lines
 * sent), then read as the graph view reads it: the node counts and lanes the scenario's comments promise.
 */
class ScenarioGraphTest {

    private record Opened(BlockState state, Path dir) {
    }

    private static Opened open(String name) throws Exception {
        Path[] socket = new Path[1];
        try (Session session = new EmbeddedSessionLauncher(Scenario.load(name)).open(new SessionLauncher.Progress() {
            @Override
            public void socket(Path s) {
                socket[0] = s;
            }
        })) {
            BlockState state = new BlockStateReader(session::execute).read().get(60, TimeUnit.SECONDS);
            assertThat(state.isAvailable()).as(state.unavailable()).isTrue();
            assertThat(state.warnings()).isEmpty();
            assertThat(state.contextsReported()).isEqualTo(!state.nodes().isEmpty());
            return new Opened(state, socket[0].getParent());
        }
    }

    /** Lane id → block nodes in it. */
    private static Map<String, Long> blockNodesPerLane(BlockState s) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Lane l : s.lanes()) {
            m.put(l.id(), l.nodes().stream().filter(GraphNode::isBlockNode).count());
        }
        return m;
    }

    @Test
    void databaseVmHasTwelveDrivesOverFourIothreadsWithBackingChains() throws Exception {
        Opened o = open("database");
        BlockState s = o.state();
        assertThat(s.blockNodes()).hasSize(46);
        assertThat(s.nodes()).filteredOn(n -> n.kind() == NodeKind.BACKEND).hasSize(12);
        assertThat(s.iothreads()).hasSize(4);
        assertThat(blockNodesPerLane(s)).containsExactly(Map.entry("main-loop", 0L), Map.entry("iothread0", 12L),
                Map.entry("iothread1", 12L), Map.entry("iothread2", 11L), Map.entry("iothread3", 11L));
        for (Lane lane : s.lanes().subList(1, 5)) {
            assertThat(lane.nodes()).filteredOn(n -> n.kind() == NodeKind.BACKEND).as(lane.id()).hasSize(3);
        }
        // data0: live <- weekly <- base, each qcow2 over its own file
        assertThat(s.edges()).anySatisfy(e -> {
            assertThat(e.parentKey()).isEqualTo("node:data0");
            assertThat(e.childKey()).isEqualTo("node:data0-weekly");
            assertThat(e.role()).isEqualTo("backing");
        });
        assertThat(s.edges()).anySatisfy(e -> {
            assertThat(e.parentKey()).isEqualTo("node:data0-weekly");
            assertThat(e.childKey()).isEqualTo("node:data0-base");
        });
        assertThat(s.node("node:data0-base").orElseThrow().readOnly()).isTrue();
        assertThat(s.node("node:data0-base").orElseThrow().file()).endsWith("/data0-base.qcow2")
                .startsWith(o.dir().toString());
        assertThat(s.node("node:log3").orElseThrow().driver()).isEqualTo("qcow2");
        assertThat(s.blockNodes()).filteredOn(n -> n.driver().equals("qcow2")).hasSize(20);
        // the images lived in the session's private directory and went with it
        assertThat(Files.exists(o.dir())).isFalse();
    }

    @Test
    void stressVmHasExactlyAThousandNodesOverSixIothreadsAndTheMainLoop() throws Exception {
        long start = System.nanoTime();
        BlockState s = open("stress-1000").state();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(s.blockNodes()).hasSize(1000);
        assertThat(s.nodes()).filteredOn(n -> n.kind() == NodeKind.BACKEND).hasSize(24);
        // 326 bare chains, chain c in lane c % 7 (6 = main loop), plus 24 devices' chains (4 per IOThread)
        assertThat(blockNodesPerLane(s)).containsExactly(Map.entry("main-loop", 131L),
                Map.entry("iothread0", 146L), Map.entry("iothread1", 146L), Map.entry("iothread2", 146L),
                Map.entry("iothread3", 145L), Map.entry("iothread4", 143L), Map.entry("iothread5", 143L));
        assertThat(s.blockNodes()).filteredOn(n -> n.kind() == NodeKind.FILTER).hasSize(24 + 276);
        // "reasonable time" on a 2-core machine: start, 280 moves and one full read
        assertThat(millis).isLessThan(20_000);
    }

    @Test
    void demoAndTest202StillReadAsBefore() throws Exception {
        BlockState demo = open("demo").state();
        assertThat(demo.blockNodes()).extracting(GraphNode::name).contains("null0", "disk0", "null1", "disk1");
        assertThat(demo.lanes()).extracting(Lane::id).containsExactly("main-loop", "iothread0", "iothread1");
        BlockState t202 = open("test-202").state();
        assertThat(t202.blockNodes()).isEmpty();
        assertThat(t202.lanes()).extracting(Lane::id).containsExactly("main-loop", "iothread0");
        assertThat(List.of(demo, t202)).allSatisfy(st -> assertThat(st.isAvailable()).isTrue());
    }
}
