package dev.blockdeck.app.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** This console's moves place components where the VM reports no contexts, as long as they still stand. */
class KnownMovesTest {

    private static GraphNode node(String name) {
        return new GraphNode(GraphNode.nodeKey(name), NodeKind.FORMAT, name, "raw", "", -1, false, 0, "", null,
                Placement.MAIN_LOOP_ASSUMED);
    }

    private static GraphEdge edge(String parent, String child) {
        return new GraphEdge(GraphNode.nodeKey(parent), GraphNode.nodeKey(child), "file", List.of(), List.of());
    }

    private static Placement placed(List<GraphNode> resolved, String name) {
        return resolved.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow().placement();
    }

    @Test
    void aMovedComponentIsPlacedWhereTheConsolePutIt() {
        KnownMoves moves = new KnownMoves();
        moves.record("top", "iothread1", List.of("top", "base"));
        List<GraphNode> nodes = List.of(node("top"), node("base"), node("other"));
        List<GraphNode> r = Placements.resolve(nodes, List.of(edge("top", "base")), null, moves, new ArrayList<>());
        assertThat(placed(r, "top")).isEqualTo(Placement.consoleMove("iothread1"));
        assertThat(placed(r, "base")).isEqualTo(Placement.consoleMove("iothread1"));
        assertThat(placed(r, "other")).isEqualTo(Placement.MAIN_LOOP_ASSUMED);
        assertThat(placed(r, "base").explanation()).contains("this console moved it there with x-blockdev-set-iothread");

        // the engine reports: what it says wins
        List<GraphNode> reported = Placements.resolve(nodes, List.of(edge("top", "base")),
                Map.of("top", "iothread0", "base", "iothread0", "other", "iothread0"), moves, new ArrayList<>());
        assertThat(placed(reported, "top")).isEqualTo(Placement.reported("iothread0"));
    }

    @Test
    void theLatestMoveWinsAndAGrownComponentIsForgotten() {
        KnownMoves moves = new KnownMoves();
        moves.record("top", "iothread1", List.of("top", "base"));
        moves.record("base", null, List.of("top", "base"));
        List<GraphNode> two = List.of(node("top"), node("base"));
        assertThat(placed(Placements.resolve(two, List.of(edge("top", "base")), null, moves, new ArrayList<>()), "top"))
                .isEqualTo(Placement.consoleMove(null));

        // a new parent in the main loop pulls the component over: the move no longer tells where it is
        List<GraphNode> three = List.of(node("new"), node("top"), node("base"));
        List<GraphNode> r = Placements.resolve(three, List.of(edge("new", "top"), edge("top", "base")), null, moves,
                new ArrayList<>());
        assertThat(placed(r, "top")).isEqualTo(Placement.MAIN_LOOP_ASSUMED);
        assertThat(moves.isEmpty()).isTrue();
    }

    @Test
    void aComponentThatLostANodeStaysAndGoneNodesAreForgotten() {
        KnownMoves moves = new KnownMoves();
        moves.record("top", "iothread1", List.of("top", "base"));
        // blockdev-del of top: base stays where the move took it
        List<GraphNode> r = Placements.resolve(List.of(node("base")), List.of(), null, moves, new ArrayList<>());
        assertThat(placed(r, "base")).as("base moved with top").isEqualTo(Placement.consoleMove("iothread1"));
        moves.retain(Set.of("other"));
        assertThat(moves.isEmpty()).isTrue();
    }
}
