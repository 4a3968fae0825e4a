package dev.blockdeck.engine.block.driver.qcow2;

import java.util.List;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.NodeOptions;

/** qcow2's runtime options, taken from a node's options into the core's {@link Qcow2Image.Options}. */
final class Qcow2OpenOptions {
    private static final List<String> OVERLAP_FLAGS = List.of("main-header", "active-l1", "active-l2",
            "refcount-table", "refcount-block", "snapshot-table", "inactive-l1", "inactive-l2", "bitmap-directory");
    private static final List<String> OVERLAP_MODES = List.of("none", "constant", "cached", "all");

    private Qcow2OpenOptions() {
    }

    static Qcow2Image.Options take(NodeOptions options) {
        Qcow2Image.Options o = new Qcow2Image.Options();
        if (options.has("lazy-refcounts")) {
            o.lazyRefcounts = options.takeBool("lazy-refcounts", false);
        }
        o.cacheSize = optSize(options, "cache-size");
        o.l2CacheSize = optSize(options, "l2-cache-size");
        o.l2CacheEntrySize = optSize(options, "l2-cache-entry-size");
        o.refcountCacheSize = optSize(options, "refcount-cache-size");
        long interval = options.takeNumber("cache-clean-interval", 600);
        if (interval > Integer.MAX_VALUE || interval < 0) {
            throw new BlockException("Cache clean interval too big");
        }
        options.takeBool("pass-discard-request", false);
        o.passDiscardSnapshot = options.takeBool("pass-discard-snapshot", true);
        options.takeBool("pass-discard-other", false);
        // overlap checks guard QEMU's metadata writes against its own bugs; the engine's core allocates through one
        // refcount path, so the options are validated and accepted
        String template = options.takeString("overlap-check.template");
        String mode = options.takeString("overlap-check");
        for (String m : new String[] {template, mode}) {
            if (m != null && !OVERLAP_MODES.contains(m)) {
                throw new BlockException("Unsupported value '" + m + "' for qcow2 option 'overlap-check'. "
                        + "Allowed are any of the following: none, constant, cached, all");
            }
        }
        for (String f : OVERLAP_FLAGS) {
            options.takeBool("overlap-check." + f, false);
        }
        if (!options.extract("encrypt").isEmpty()) {
            throw new BlockException("No encryption in image header, but options specified format 'luks'");
        }
        return o;
    }

    private static Long optSize(NodeOptions options, String key) {
        return options.has(key) ? options.takeSize(key, 0) : null;
    }
}
