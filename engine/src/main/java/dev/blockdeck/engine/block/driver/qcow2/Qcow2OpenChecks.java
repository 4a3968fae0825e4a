package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.block.driver.qcow2.Qcow2Format.*;

/**
 * What an open refuses before any table is read (QEMU's checks in qcow2_do_open), in QEMU's order so that an
 * image with several problems fails with the same message.
 */
final class Qcow2OpenChecks {
    private Qcow2OpenChecks() {
    }

    /** Throws QEMU's error for the first problem of header {@code h}; returns whether refcounts are lazy. */
    static boolean validate(Qcow2Header h, Qcow2Image.Options o) throws Qcow2Exception {
        if ((h.incompatibleFeatures & INCOMPAT_CORRUPT) != 0 && !o.readOnly && !o.checkMode) {
            throw new Qcow2Exception(Qcow2Exception.Kind.ACCESS,
                    "qcow2: Image is corrupt; cannot be opened read/write");
        }
        int clusterSize = h.clusterSize();
        if ((h.incompatibleFeatures & INCOMPAT_EXTL2) != 0 && clusterSize / SUBCLUSTERS < 512) {
            throw new Qcow2Exception("Unsupported subcluster size: " + clusterSize / SUBCLUSTERS);
        }
        if (Integer.compareUnsigned(h.refcountOrder, 6) > 0) {
            throw new Qcow2Exception("Reference count entry width too large; may not exceed 64 bits");
        }
        if (h.cryptMethod == CRYPT_AES) {
            throw new Qcow2Exception(Qcow2Exception.Kind.UNSUPPORTED,
                    "Use of AES-CBC encrypted qcow2 images is no longer supported in system emulators");
        } else if (h.cryptMethod == CRYPT_LUKS) {
            throw new Qcow2Exception("Parameter 'encrypt.key-secret' is required for cipher");
        } else if (h.cryptMethod != CRYPT_NONE) {
            throw new Qcow2Exception("Unsupported encryption method " + h.cryptMethod);
        }
        if (h.refcountTableClusters == 0 && !o.checkMode) {
            throw new Qcow2Exception("Image does not contain a reference count table");
        }
        validateTable(h, h.refcountTableOffset, Integer.toUnsignedLong(h.refcountTableClusters), clusterSize,
                MAX_REFTABLE_BYTES, "Reference count table");
        if (!o.checkMode) {
            validateTable(h, h.snapshotsOffset, Integer.toUnsignedLong(h.nbSnapshots), 40, 40L * MAX_SNAPSHOTS,
                    "Snapshot table");
        }
        validateTable(h, h.l1TableOffset, Integer.toUnsignedLong(h.l1Size), 8, MAX_L1_BYTES, "Active L1 table");
        int l2Bits = h.clusterBits - ((h.incompatibleFeatures & INCOMPAT_EXTL2) != 0 ? 4 : 3);
        long l1Needed = Qcow2Image.sizeToL1(h.size, h.clusterBits, l2Bits);
        if (l1Needed > Integer.MAX_VALUE) {
            throw new Qcow2Exception("Image is too big");
        }
        if (Integer.toUnsignedLong(h.l1Size) < l1Needed) {
            throw new Qcow2Exception("L1 table is too small");
        }
        if ((h.incompatibleFeatures & INCOMPAT_DATA_FILE) != 0) {
            throw new Qcow2Exception("'data-file' is required for this image");
        }
        if (h.dataFile != null) {
            throw new Qcow2Exception("'data-file' can only be set for images with an external data file");
        }
        boolean lazy = o.lazyRefcounts != null ? o.lazyRefcounts : (h.compatibleFeatures & COMPAT_LAZY_REFCOUNTS) != 0;
        if (lazy && h.version < 3) {
            throw new Qcow2Exception(
                    "Lazy refcounts require a qcow2 image with at least qemu 1.1 compatibility level");
        }
        return lazy;
    }

    private static void validateTable(Qcow2Header h, long offset, long entries, long entryLen, long maxBytes,
            String name) throws Qcow2Exception {
        if (entries > maxBytes / entryLen) {
            throw new Qcow2Exception(name + " too large");
        }
        long size = entries * entryLen;
        if (Long.MAX_VALUE - size < offset) {
            throw new Qcow2Exception(name + " exceeds maximum file size");
        }
        if ((offset & (h.clusterSize() - 1)) != 0) {
            throw new Qcow2Exception(name + " offset invalid");
        }
    }
}
