package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.GraphNode;
import dev.blockdeck.app.model.NodeKind;
import dev.blockdeck.app.model.Placement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeSearchTest {

    private static GraphNode node(String name) {
        return new GraphNode("node:" + name, NodeKind.FORMAT, name, "qcow2", "", 1, false, 0, "", null,
                Placement.MAIN_LOOP_ASSUMED);
    }

    @Test
    void exactThenPrefixThenAnywhereIgnoringCase() {
        List<GraphNode> nodes = List.of(node("log1"), node("data10"), node("Data1-file"), node("data1"), node("mydata1"));
        assertThat(NodeSearch.find(nodes, " DATA1 ")).containsExactly("node:data1", "node:data10", "node:Data1-file",
                "node:mydata1");
        assertThat(NodeSearch.find(nodes, "zzz")).isEmpty();
        assertThat(NodeSearch.find(nodes, "  ")).isEmpty();
        assertThat(NodeSearch.find(nodes, null)).isEmpty();
    }
}
