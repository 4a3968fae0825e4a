package dev.blockdeck.app.view;

/**
 * The graph's level of detail by zoom. Below ~40 % a card's 12 px text is 5 px high and unreadable, and a
 * thousand cards made of labels cost a frame each: the graph is then painted as simple boxes on one canvas
 * (the overview). From 45 % up the cards are real nodes again. The gap between the two thresholds keeps a
 * zoom that wobbles around one of them from switching back and forth.
 */
enum GraphLod {
    /** Boxes and lines painted on a canvas, names only while there is room. */
    OVERVIEW,
    /** Card nodes with their text, badges, tooltips and menus. */
    CARDS;

    static final double OVERVIEW_BELOW = 0.40;
    static final double CARDS_FROM = 0.45;
    /** Overview boxes get their node-name from this zoom on (a 200 px card is then 50 px wide). */
    static final double NAMES_FROM = 0.25;

    /** The level to show at {@code zoom}, coming from {@code current}. */
    GraphLod at(double zoom) {
        if (zoom < OVERVIEW_BELOW) {
            return OVERVIEW;
        }
        if (zoom >= CARDS_FROM) {
            return CARDS;
        }
        return this;
    }
}
