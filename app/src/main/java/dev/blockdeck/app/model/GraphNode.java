package dev.blockdeck.app.model;

/**
 * One vertex of the block graph: a node (BlockDriverState), a BlockBackend or a block job.
 *
 * @param key         unique and stable across refreshes: {@code node:NAME}, {@code backend:NAME}, {@code job:ID}
 * @param name        node-name, BlockBackend name (or its device's id when anonymous) or job id
 * @param driver      driver format name ({@code qcow2}, {@code file}); for backends and jobs empty
 * @param file        the node's filename (may be a {@code json:{...}} pseudo-filename); empty if none
 * @param size        virtual size in bytes, or -1 when unknown
 * @param device      backends: the attached guest device (qdev id or QOM path), else empty
 * @param deviceIothread backends: the iothread the device links to, or null
 */
public record GraphNode(String key, NodeKind kind, String name, String driver, String file, long size,
                        boolean readOnly, int dirtyBitmaps, String device, String deviceIothread,
                        Placement placement) {

    public static String nodeKey(String nodeName) {
        return "node:" + nodeName;
    }

    /** A BlockDriverState, as {@code query-named-block-nodes} lists them (not a backend or a job). */
    public boolean isBlockNode() {
        return kind != NodeKind.BACKEND && kind != NodeKind.JOB;
    }

    GraphNode withPlacement(Placement p) {
        return new GraphNode(key, kind, name, driver, file, size, readOnly, dirtyBitmaps, device, deviceIothread, p);
    }
}
