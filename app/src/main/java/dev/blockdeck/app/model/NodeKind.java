package dev.blockdeck.app.model;

import java.util.Set;

/** What a vertex of the block graph is; decides its colour and, through the edges, its column. */
public enum NodeKind {
    /** A BlockBackend: the attachment point of a guest device, {@code -drive} or a job's internal user. */
    BACKEND,
    /** A block job (it holds edges to the nodes it uses). */
    JOB,
    /** A filter driver: passes I/O through to one child (copy-before-write, mirror_top, throttle, ...). */
    FILTER,
    /** An image format driver (qcow2, raw, vmdk, ...). */
    FORMAT,
    /** A protocol driver: where bytes are stored (file, host_device, null-co, nbd, ...). */
    PROTOCOL;

    private static final Set<String> FILTERS = Set.of("copy-before-write", "mirror_top", "commit_top",
            "copy-on-read", "throttle", "blkdebug", "blkverify", "blklogwrites", "preallocate", "compress",
            "snapshot-access", "quorum", "replication");
    private static final Set<String> FORMATS = Set.of("qcow2", "qcow", "raw", "vmdk", "vdi", "vhdx", "vpc",
            "qed", "parallels", "luks", "dmg", "cloop", "bochs");
    private static final Set<String> PROTOCOLS = Set.of("file", "host_device", "host_cdrom", "null-co",
            "null-aio", "nbd", "nvme", "nvme-io_uring", "io_uring", "iscsi", "rbd", "ssh", "http", "https",
            "ftp", "ftps", "gluster", "nfs", "vvfat", "virtio-blk-vfio-pci", "virtio-blk-vhost-user",
            "virtio-blk-vhost-vdpa");

    /** The kind of a BlockDriverState by its driver; an unknown driver is a format if it has children. */
    public static NodeKind ofDriver(String driver, boolean hasChildren) {
        if (FILTERS.contains(driver)) {
            return FILTER;
        }
        if (FORMATS.contains(driver)) {
            return FORMAT;
        }
        if (PROTOCOLS.contains(driver)) {
            return PROTOCOL;
        }
        return hasChildren ? FORMAT : PROTOCOL;
    }

    /** For CSS: {@code kind-format}. */
    public String styleClass() {
        return "kind-" + name().toLowerCase();
    }
}
