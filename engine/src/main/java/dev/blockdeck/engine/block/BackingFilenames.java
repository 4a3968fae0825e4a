package dev.blockdeck.engine.block;

/** Where a node's backing file is (QEMU's bdrv_get_full_backing_filename and bdrv_dirname). */
public final class BackingFilenames {
    private BackingFilenames() {
    }

    /** The backing file name made absolute against the image's directory; throws when that has no directory. */
    public static String full(BlockNode bs) {
        String name = bs.backingFile();
        if (name.isEmpty() || name.startsWith("/") || hasProtocol(name)) {
            return name;
        }
        return dirname(bs) + name;
    }

    /** The full name, or null when it cannot be made (queries then leave it out). */
    public static String fullOrNull(BlockNode bs) {
        try {
            String f = full(bs);
            return f.isEmpty() ? null : f;
        } catch (BlockException e) {
            return null;
        }
    }

    private static boolean hasProtocol(String name) {
        int colon = name.indexOf(':');
        int slash = name.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash);
    }

    /** The directory (with its trailing slash) relative names are resolved in. */
    static String dirname(BlockNode bs) {
        BdrvChild primary = bs.primaryChild();
        if (primary != null && !bs.driver().isProtocol()) {
            return dirname(primary.node());
        }
        bs.refreshFilename();
        String exact = bs.exactFilename();
        if (!exact.isEmpty() && !exact.startsWith("json:")) {
            int slash = exact.lastIndexOf('/');
            return slash < 0 ? "" : exact.substring(0, slash + 1);
        }
        throw new BlockException("Cannot generate a base directory for " + bs.driver().formatName() + " nodes");
    }
}
