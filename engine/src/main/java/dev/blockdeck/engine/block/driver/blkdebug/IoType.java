package dev.blockdeck.engine.block.driver.blkdebug;

import java.util.Arrays;
import java.util.List;

/** The request kinds an inject-error rule can fail (QEMU's BlkdebugIOType), in QAPI order. */
enum IoType {
    READ("read"),
    WRITE("write"),
    WRITE_ZEROES("write-zeroes"),
    DISCARD("discard"),
    FLUSH("flush"),
    BLOCK_STATUS("block-status");

    /** A rule without {@code iotype} fails every kind but block-status. */
    static final long DEFAULT_MASK = READ.bit() | WRITE.bit() | WRITE_ZEROES.bit() | DISCARD.bit() | FLUSH.bit();

    private final String qapiName;

    IoType(String qapiName) {
        this.qapiName = qapiName;
    }

    long bit() {
        return 1L << ordinal();
    }

    static List<String> qapiNames() {
        return Arrays.stream(values()).map(t -> t.qapiName).toList();
    }

    /** The type named {@code name}, or null. */
    static IoType byName(String name) {
        for (IoType t : values()) {
            if (t.qapiName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
