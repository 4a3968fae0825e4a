package dev.blockdeck.app.model;

import java.util.Map;

/**
 * One line on what a reported member means, for the inspector's tooltips. Keyed by the member's last
 * name element; written for this console, after the QAPI documentation of QEMU 7.2.
 */
public final class FieldDocs {

    private static final Map<String, String> DOCS = Map.ofEntries(
            Map.entry("node-name", "The node's name in the block graph (auto-generated names start with '#')."),
            Map.entry("drv", "The block driver of this node (format, protocol or filter)."),
            Map.entry("file", "The node's filename; json:{...} when its options cannot be written as one path."),
            Map.entry("ro", "Whether the node was opened read-only."),
            Map.entry("encrypted", "Whether the image is encrypted."),
            Map.entry("backing_file", "The backing file name as the image header or options give it."),
            Map.entry("backing_file_depth", "How many backing images are below this one."),
            Map.entry("detect_zeroes", "Whether writes of zeroes are detected and turned into zero writes."),
            Map.entry("write_threshold", "Offset that raises BLOCK_WRITE_THRESHOLD when written past; 0 is off."),
            Map.entry("group", "The throttle group this node's limits belong to."),
            Map.entry("virtual-size", "The size the guest sees, in bytes."),
            Map.entry("actual-size", "Bytes the image occupies on the host."),
            Map.entry("filename", "The image's filename."),
            Map.entry("format", "The image format."),
            Map.entry("cluster-size", "The image's cluster size in bytes."),
            Map.entry("dirty-flag", "Whether the image was not closed cleanly."),
            Map.entry("backing-filename", "The backing file name stored in the image."),
            Map.entry("full-backing-filename", "The backing file name, resolved."),
            Map.entry("backing-filename-format", "The backing file's format, as stored in the image."),
            Map.entry("writeback", "Writes complete once in the host's page cache (cache.writeback)."),
            Map.entry("direct", "The host page cache is bypassed: O_DIRECT (cache.direct)."),
            Map.entry("no-flush", "Flush requests are ignored (cache.no-flush)."),
            Map.entry("granularity", "Bytes per bit of the dirty bitmap."),
            Map.entry("count", "Dirty bytes the bitmap records."),
            Map.entry("recording", "Whether the bitmap records new writes."),
            Map.entry("busy", "Whether the bitmap is in use by an operation (e.g. a backup job)."),
            Map.entry("persistent", "Whether the bitmap is stored in the image when it closes."),
            Map.entry("inconsistent", "The bitmap was not saved cleanly and cannot be trusted."),
            Map.entry("device", "The BlockBackend's name (empty for one attached by node name)."),
            Map.entry("qdev", "The guest device the BlockBackend is attached to (id or QOM path)."),
            Map.entry("type", "The kind of device (query-block reports 'unknown' for all but old IDE/SCSI types)."),
            Map.entry("removable", "Whether the device's medium can be removed."),
            Map.entry("locked", "Whether the guest has locked the medium."),
            Map.entry("tray_open", "Whether the device's tray is open."),
            Map.entry("io-status", "The I/O status of a device with werror/rerror=stop (ok, failed, nospace)."),
            Map.entry("id", "The IOThread object's id (its QOM path is /objects/ID)."),
            Map.entry("thread-id", "The host thread id of the IOThread."),
            Map.entry("poll-max-ns", "Longest time the IOThread polls for events before it sleeps, in ns; 0 disables polling."),
            Map.entry("poll-grow", "Factor by which the polling time grows; 0 selects the default."),
            Map.entry("poll-shrink", "Divisor by which the polling time shrinks; 0 selects the default."),
            Map.entry("aio-max-batch", "Most requests the IOThread's Linux AIO engine submits in one batch; 0 selects the default."));

    private FieldDocs() {
    }

    /** The description of a field by its (dotted) name, or empty. */
    public static String describe(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        if (last.startsWith("bps") || last.startsWith("iops")) {
            return "I/O throttling limit (block_set_io_throttle); 0 means no limit.";
        }
        return DOCS.getOrDefault(last, "");
    }
}
