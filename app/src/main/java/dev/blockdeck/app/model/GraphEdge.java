package dev.blockdeck.app.model;

import java.util.List;

/**
 * A child edge (BdrvChild), parent → child, with the child's role and the permissions the parent takes and
 * shares, as {@code x-debug-query-block-graph} reports them.
 */
public record GraphEdge(String parentKey, String childKey, String role, List<String> perm, List<String> sharedPerm) {

    public GraphEdge {
        perm = List.copyOf(perm);
        sharedPerm = List.copyOf(sharedPerm);
    }
}
