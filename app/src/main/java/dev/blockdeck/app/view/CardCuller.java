package dev.blockdeck.app.view;

import dev.blockdeck.app.layout.GraphLayout;
import javafx.scene.Group;
import javafx.scene.Node;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Keeps in the scene only the cards and edges near the viewport, creating each one the first time it comes
 * into view and keeping it afterwards (so its selection and handlers survive scrolling away). A node out of
 * the scene costs no CSS, layout or rendering; creating a thousand cards up front would cost seconds.
 * Graphs below {@link #CULL_FROM} vertices are shown whole, as before: nothing to gain there.
 */
final class CardCuller {

    static final int CULL_FROM = 150;
    /** World pixels around the viewport that are kept ready, so a short pan shows no pop-in. */
    static final double MARGIN = 240;

    private final GraphLayout layout;
    private final Group cardGroup;
    private final Group edgeGroup;
    private final IntFunction<Node> cardFactory;
    private final IntFunction<Node> edgeFactory;
    private final Node[] cards;
    private final Node[] edges;
    private final boolean cull;
    private final WorldIndex index;
    private BitSet shownCards = new BitSet();
    private BitSet shownEdges = new BitSet();

    CardCuller(GraphLayout layout, WorldIndex index, Group cardGroup, Group edgeGroup, IntFunction<Node> cardFactory,
               IntFunction<Node> edgeFactory) {
        this.layout = layout;
        this.index = index;
        this.cardGroup = cardGroup;
        this.edgeGroup = edgeGroup;
        this.cardFactory = cardFactory;
        this.edgeFactory = edgeFactory;
        this.cards = new Node[layout.nodes().size()];
        this.edges = new Node[layout.edges().size()];
        this.cull = layout.nodes().size() >= CULL_FROM;
    }

    /** True when only what is near the view is in the scene. */
    boolean culling() {
        return cull;
    }

    /** The card of vertex {@code i}, created if need be (it may be out of the scene). */
    Node card(int i) {
        if (cards[i] == null) {
            cards[i] = cardFactory.apply(i);
        }
        return cards[i];
    }

    private Node edge(int i) {
        if (edges[i] == null) {
            edges[i] = edgeFactory.apply(i);
        }
        return edges[i];
    }

    /**
     * Puts in the scene what intersects the world rectangle (plus {@link #MARGIN}); {@code hidden} takes
     * everything out (the overview paints instead).
     */
    void update(double x0, double y0, double x1, double y1, boolean hidden) {
        BitSet wantCards;
        BitSet wantEdges;
        if (hidden) {
            wantCards = new BitSet();
            wantEdges = new BitSet();
        } else if (!cull) {
            wantCards = all(cards.length);
            wantEdges = all(edges.length);
        } else {
            wantCards = index.nodesIn(x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN);
            wantEdges = index.edgesIn(x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN);
        }
        shownCards = apply(cardGroup, shownCards, wantCards, this::card, cards);
        shownEdges = apply(edgeGroup, shownEdges, wantEdges, this::edge, edges);
    }

    /** Everything in the scene (the PNG export draws the whole graph); {@link #update} culls again. */
    void showAll() {
        shownCards = apply(cardGroup, shownCards, all(cards.length), this::card, cards);
        shownEdges = apply(edgeGroup, shownEdges, all(edges.length), this::edge, edges);
    }

    private static BitSet all(int n) {
        BitSet b = new BitSet(n);
        b.set(0, n);
        return b;
    }

    private static BitSet apply(Group group, BitSet shown, BitSet want, IntFunction<Node> create, Node[] made) {
        if (shown.equals(want)) {
            return shown;
        }
        BitSet gone = (BitSet) shown.clone();
        gone.andNot(want);
        BitSet added = (BitSet) want.clone();
        added.andNot(shown);
        if (gone.cardinality() > want.cardinality()) {
            // most of it goes: rebuilding the list is cheaper than removing one by one
            List<Node> keep = new ArrayList<>(want.cardinality());
            for (int i = want.nextSetBit(0); i >= 0; i = want.nextSetBit(i + 1)) {
                keep.add(create.apply(i));
            }
            group.getChildren().setAll(keep);
            return want;
        }
        if (!gone.isEmpty()) {
            List<Node> remove = new ArrayList<>(gone.cardinality());
            for (int i = gone.nextSetBit(0); i >= 0; i = gone.nextSetBit(i + 1)) {
                remove.add(made[i]);
            }
            group.getChildren().removeAll(new java.util.HashSet<>(remove));
        }
        if (!added.isEmpty()) {
            List<Node> add = new ArrayList<>(added.cardinality());
            for (int i = added.nextSetBit(0); i >= 0; i = added.nextSetBit(i + 1)) {
                add.add(create.apply(i));
            }
            group.getChildren().addAll(add);
        }
        return want;
    }

    GraphLayout layout() {
        return layout;
    }
}
