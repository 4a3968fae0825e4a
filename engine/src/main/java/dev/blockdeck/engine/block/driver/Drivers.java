package dev.blockdeck.engine.block.driver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.blockdeck.engine.block.driver.blkdebug.BlkdebugDriver;
import dev.blockdeck.engine.block.driver.file.FileDriver;
import dev.blockdeck.engine.block.driver.nullco.NullCoDriver;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Driver;
import dev.blockdeck.engine.block.driver.raw.RawDriver;

/**
 * The drivers this engine implements. Their order is QEMU's BlockdevDriver enum order, which is also the order
 * of the {@code driver} enum values in query-qmp-schema. A new driver (qcow2, filters) is added here.
 */
public final class Drivers {
    /** QEMU 7.2's BlockdevDriver enum, in order; the engine declares the implemented subset. */
    public static final List<String> QEMU_ORDER = List.of("blkdebug", "blklogwrites", "blkreplay", "blkverify",
            "bochs", "cloop", "compress", "copy-before-write", "copy-on-read", "dmg", "file", "snapshot-access", "ftp",
            "ftps", "gluster", "host_cdrom", "host_device", "http", "https", "iscsi", "luks", "nbd", "nfs", "null-aio",
            "null-co", "nvme", "parallels", "preallocate", "qcow", "qcow2", "qed", "quorum", "raw", "rbd",
            "replication", "ssh", "throttle", "vdi", "vhdx", "vmdk", "vpc", "vvfat");

    private static final List<BlockDriver> ALL = sorted(List.of(FileDriver.INSTANCE, NullCoDriver.INSTANCE,
            Qcow2Driver.INSTANCE, RawDriver.INSTANCE, BlkdebugDriver.INSTANCE));

    private Drivers() {
    }

    private static List<BlockDriver> sorted(List<BlockDriver> drivers) {
        List<BlockDriver> l = new ArrayList<>(drivers);
        l.sort((a, b) -> Integer.compare(QEMU_ORDER.indexOf(a.formatName()), QEMU_ORDER.indexOf(b.formatName())));
        return Collections.unmodifiableList(l);
    }

    public static List<BlockDriver> all() {
        return ALL;
    }

    public static Optional<BlockDriver> find(String formatName) {
        return ALL.stream().filter(d -> d.formatName().equals(formatName)).findFirst();
    }

    /** The protocol driver for a filename (QEMU's {@code bdrv_find_protocol}): a known prefix, else {@code file}. */
    public static Optional<BlockDriver> forFilename(String filename) {
        int colon = filename.indexOf(':');
        int slash = filename.indexOf('/');
        boolean hasProtocol = colon >= 0 && (slash < 0 || colon < slash);
        if (!hasProtocol) {
            return find("file");
        }
        String proto = filename.substring(0, colon);
        for (BlockDriver d : ALL) {
            if (d.isProtocol() && proto.equals(d.protocolName())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
