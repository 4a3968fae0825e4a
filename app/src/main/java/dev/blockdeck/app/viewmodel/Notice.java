package dev.blockdeck.app.viewmodel;

/**
 * A message about something the user just did in the graph, shown where they looked: near {@code anchor}.
 *
 * @param anchor the card's vertex key ({@code backend:drive0}), a lane ({@code lane:iothread1}, {@code lane:main-loop})
 *               or null for the graph as a whole
 */
public record Notice(Kind kind, String text, String anchor) {

    public enum Kind {
        PROGRESS, SUCCESS, INFO, ERROR
    }

    /** The anchor of a lane, by its lane id ({@code main-loop} or the iothread id). */
    public static String lane(String laneId) {
        return "lane:" + laneId;
    }
}
