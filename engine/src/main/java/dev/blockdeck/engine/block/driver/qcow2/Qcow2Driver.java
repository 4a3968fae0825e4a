package dev.blockdeck.engine.block.driver.qcow2;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.NodeDriver;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.monitor.qapi.AlternateType;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.UnionType;

/** The qcow2 format driver: the graph's face of the qcow2 core. */
public final class Qcow2Driver implements BlockDriver {
    public static final Qcow2Driver INSTANCE = new Qcow2Driver();

    private Qcow2Driver() {
    }

    @Override
    public String formatName() {
        return "qcow2";
    }

    @Override
    public boolean isProtocol() {
        return false;
    }

    @Override
    public boolean supportsBacking() {
        return true;
    }

    @Override
    public ObjectType qapiVariant(BlockTypes types) {
        EnumType mode = EnumType.of("Qcow2OverlapCheckMode", "none", "constant", "cached", "all");
        ObjectType.Builder flags = ObjectType.builder("Qcow2OverlapCheckFlags").optional("template", mode);
        for (String f : List.of("main-header", "active-l1", "active-l2", "refcount-table", "refcount-block",
                "snapshot-table", "inactive-l1", "inactive-l2", "bitmap-directory")) {
            flags.optional(f, BOOL);
        }
        AlternateType overlap = new AlternateType("Qcow2OverlapChecks", List.of(flags.build(), mode));
        ObjectType encBase = ObjectType.builder("BlockdevQcow2Encryption-base")
                .required("format", EnumType.of("BlockdevQcow2EncryptionFormat", "aes", "luks"))
                .build();
        Map<String, ObjectType> encVariants = new LinkedHashMap<>();
        encVariants.put("aes", ObjectType.builder("QCryptoBlockOptionsQCow").optional("key-secret", STR).build());
        encVariants.put("luks", ObjectType.builder("QCryptoBlockOptionsLUKS").optional("key-secret", STR).build());
        UnionType encrypt = new UnionType("BlockdevQcow2Encryption", encBase, "format", encVariants);
        return ObjectType.builder("BlockdevOptionsQcow2")
                .required("file", types.blockdevRef())
                .optional("backing", types.blockdevRefOrNull())
                .optional("lazy-refcounts", BOOL)
                .optional("pass-discard-request", BOOL)
                .optional("pass-discard-snapshot", BOOL)
                .optional("pass-discard-other", BOOL)
                .optional("overlap-check", overlap)
                .optional("cache-size", INT)
                .optional("l2-cache-size", INT)
                .optional("l2-cache-entry-size", INT)
                .optional("refcount-cache-size", INT)
                .optional("cache-clean-interval", INT)
                .optional("encrypt", encrypt)
                .optional("data-file", types.blockdevRef())
                .build();
    }

    @Override
    public NodeDriver newState(BlockNode node) {
        return new Qcow2Node(node);
    }

    /** The read-only reopen a snapshot commits on the old active layer (no-op for other drivers). */
    public static void reopenReadOnly(BlockNode node) {
        if (node.driverState() instanceof Qcow2Node q) {
            q.reopenReadOnly();
        }
    }
}
