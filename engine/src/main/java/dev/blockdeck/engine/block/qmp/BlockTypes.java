package dev.blockdeck.engine.block.qmp;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.NULL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.NUMBER;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.blockdeck.engine.block.driver.BlockDriver;
import dev.blockdeck.engine.block.driver.Drivers;
import dev.blockdeck.engine.monitor.qapi.AlternateType;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiType;
import dev.blockdeck.engine.monitor.qapi.TypeRef;
import dev.blockdeck.engine.monitor.qapi.UnionType;

/**
 * The QAPI declarations of the block layer (qapi/block-core.json of QEMU 7.2) that this engine implements.
 * BlockdevOptions and BlockStatsSpecific declare only the implemented drivers; drivers contribute their variants
 * through {@link BlockDriver#qapiVariant}. Built once; shared by commands and by drivers.
 */
public final class BlockTypes {
    private static final BlockTypes INSTANCE = new BlockTypes();

    private final EnumType onOffAuto = EnumType.of("OnOffAuto", "auto", "on", "off");
    private final EnumType driverEnum;
    private final EnumType discard = EnumType.of("BlockdevDiscardOptions", "ignore", "unmap");
    private final EnumType detectZeroes = EnumType.of("BlockdevDetectZeroesOptions", "off", "on", "unmap");
    private final ObjectType cacheOptions = ObjectType.builder("BlockdevCacheOptions")
            .optional("direct", BOOL).optional("no-flush", BOOL).build();
    private final TypeRef blockdevOptionsRef = new TypeRef("BlockdevOptions");
    private final AlternateType blockdevRef = new AlternateType("BlockdevRef", List.of(blockdevOptionsRef, STR));
    private final AlternateType blockdevRefOrNull = new AlternateType("BlockdevRefOrNull",
            List.of(blockdevOptionsRef, STR, NULL));
    private final UnionType blockdevOptions;
    private final AlternateType strOrNull = new AlternateType("StrOrNull", List.of(STR, NULL));
    private final EnumType permission = EnumType.of("BlockPermission", "consistent-read", "write",
            "write-unchanged", "resize");

    // query results
    private final ObjectType blockDeviceInfo;
    private final ObjectType blockInfo;
    private final ObjectType blockStats;
    private final ObjectType xdbgGraph;
    private final ObjectType imageInfo;
    private ObjectType snapshotInfo;

    private BlockTypes() {
        List<String> implemented = Drivers.all().stream().map(BlockDriver::formatName).toList();
        driverEnum = new EnumType("BlockdevDriver",
                Drivers.QEMU_ORDER.stream().filter(implemented::contains).toList());
        ObjectType base = ObjectType.builder("BlockdevOptions-base")
                .required("driver", driverEnum)
                .optional("node-name", STR)
                .optional("discard", discard)
                .optional("cache", cacheOptions)
                .optional("read-only", BOOL)
                .optional("auto-read-only", BOOL)
                .optional("force-share", BOOL)
                .optional("detect-zeroes", detectZeroes)
                .build();
        Map<String, ObjectType> variants = new LinkedHashMap<>();
        for (BlockDriver d : Drivers.all()) {
            variants.put(d.formatName(), d.qapiVariant(this));
        }
        blockdevOptions = new UnionType("BlockdevOptions", base, "driver", variants);
        blockdevOptionsRef.bind(blockdevOptions);

        imageInfo = buildImageInfo();
        blockDeviceInfo = buildBlockDeviceInfo(imageInfo);
        blockInfo = ObjectType.builder("BlockInfo")
                .required("device", STR)
                .optional("qdev", STR)
                .required("type", STR)
                .required("removable", BOOL)
                .required("locked", BOOL)
                .optional("inserted", blockDeviceInfo)
                .optional("tray_open", BOOL)
                .optional("io-status", EnumType.of("BlockDeviceIoStatus", "ok", "failed", "nospace"))
                .build();
        blockStats = buildBlockStats();
        ObjectType xnode = ObjectType.builder("XDbgBlockGraphNode")
                .required("id", INT)
                .required("type", EnumType.of("XDbgBlockGraphNodeType", "block-backend", "block-job",
                        "block-driver"))
                .required("name", STR)
                .build();
        ObjectType xedge = ObjectType.builder("XDbgBlockGraphEdge")
                .required("parent", INT)
                .required("child", INT)
                .required("name", STR)
                .required("perm", new ArrayType(permission))
                .required("shared-perm", new ArrayType(permission))
                .build();
        xdbgGraph = ObjectType.builder("XDbgBlockGraph")
                .required("nodes", new ArrayType(xnode))
                .required("edges", new ArrayType(xedge))
                .build();
    }

    public static BlockTypes get() {
        return INSTANCE;
    }

    private ObjectType buildImageInfo() {
        TypeRef self = new TypeRef("ImageInfo");
        ObjectType snapshot = ObjectType.builder("SnapshotInfo")
                .required("id", STR).required("name", STR).required("vm-state-size", INT)
                .required("date-sec", INT).required("date-nsec", INT).required("vm-clock-sec", INT)
                .required("vm-clock-nsec", INT).optional("icount", INT).build();
        snapshotInfo = snapshot;
        EnumType kind = EnumType.of("ImageInfoSpecificKind", "qcow2", "vmdk", "luks", "rbd");
        UnionType specific = new UnionType("ImageInfoSpecific",
                ObjectType.builder("ImageInfoSpecific-base").required("type", kind).build(), "type", Map.of());
        ObjectType info = ObjectType.builder("ImageInfo")
                .required("filename", STR)
                .required("format", STR)
                .optional("dirty-flag", BOOL)
                .optional("actual-size", INT)
                .required("virtual-size", INT)
                .optional("cluster-size", INT)
                .optional("encrypted", BOOL)
                .optional("compressed", BOOL)
                .optional("backing-filename", STR)
                .optional("full-backing-filename", STR)
                .optional("backing-filename-format", STR)
                .optional("snapshots", new ArrayType(snapshot))
                .optional("backing-image", self)
                .optional("format-specific", specific)
                .build();
        self.bind(info);
        return info;
    }

    private static ObjectType buildBlockDeviceInfo(ObjectType image) {
        ObjectType cache = ObjectType.builder("BlockdevCacheInfo")
                .required("writeback", BOOL).required("direct", BOOL).required("no-flush", BOOL).build();
        ObjectType dirty = ObjectType.builder("BlockDirtyInfo")
                .optional("name", STR).required("count", INT).required("granularity", INT)
                .required("recording", BOOL).required("busy", BOOL).required("persistent", BOOL)
                .optional("inconsistent", BOOL).build();
        ObjectType.Builder b = ObjectType.builder("BlockDeviceInfo")
                .required("file", STR)
                .optional("node-name", STR)
                .required("ro", BOOL)
                .required("drv", STR)
                .optional("backing_file", STR)
                .required("backing_file_depth", INT)
                .required("encrypted", BOOL)
                .required("detect_zeroes", EnumType.of("BlockdevDetectZeroesOptions", "off", "on", "unmap"));
        for (String k : List.of("bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr")) {
            b.required(k, INT);
        }
        b.required("image", image);
        for (String k : List.of("bps_max", "bps_rd_max", "bps_wr_max", "iops_max", "iops_rd_max", "iops_wr_max",
                "bps_max_length", "bps_rd_max_length", "bps_wr_max_length", "iops_max_length",
                "iops_rd_max_length", "iops_wr_max_length", "iops_size")) {
            b.optional(k, INT);
        }
        return b.optional("group", STR)
                .required("cache", cache)
                .required("write_threshold", INT)
                .optional("dirty-bitmaps", new ArrayType(dirty))
                .build();
    }

    private ObjectType buildBlockStats() {
        ObjectType timed = ObjectType.builder("BlockDeviceTimedStats")
                .required("interval_length", INT)
                .required("min_rd_latency_ns", INT).required("max_rd_latency_ns", INT)
                .required("avg_rd_latency_ns", INT)
                .required("min_wr_latency_ns", INT).required("max_wr_latency_ns", INT)
                .required("avg_wr_latency_ns", INT)
                .required("min_flush_latency_ns", INT).required("max_flush_latency_ns", INT)
                .required("avg_flush_latency_ns", INT)
                .required("avg_rd_queue_depth", NUMBER).required("avg_wr_queue_depth", NUMBER)
                .build();
        ObjectType histogram = ObjectType.builder("BlockLatencyHistogramInfo")
                .required("boundaries", new ArrayType(INT)).required("bins", new ArrayType(INT)).build();
        ObjectType.Builder s = ObjectType.builder("BlockDeviceStats");
        for (String k : List.of("rd_bytes", "wr_bytes", "unmap_bytes", "rd_operations", "wr_operations",
                "flush_operations", "unmap_operations", "rd_total_time_ns", "wr_total_time_ns",
                "flush_total_time_ns", "unmap_total_time_ns", "wr_highest_offset", "rd_merged", "wr_merged",
                "unmap_merged")) {
            s.required(k, INT);
        }
        s.optional("idle_time_ns", INT);
        for (String k : List.of("failed_rd_operations", "failed_wr_operations", "failed_flush_operations",
                "failed_unmap_operations", "invalid_rd_operations", "invalid_wr_operations",
                "invalid_flush_operations", "invalid_unmap_operations")) {
            s.required(k, INT);
        }
        ObjectType stats = s.required("account_invalid", BOOL)
                .required("account_failed", BOOL)
                .required("timed_stats", new ArrayType(timed))
                .optional("rd_latency_histogram", histogram)
                .optional("wr_latency_histogram", histogram)
                .optional("flush_latency_histogram", histogram)
                .build();
        Map<String, ObjectType> specificVariants = new LinkedHashMap<>();
        if (driverEnum.values().contains("file")) {
            specificVariants.put("file", ObjectType.builder("BlockStatsSpecificFile")
                    .required("discard-nb-ok", INT).required("discard-nb-failed", INT)
                    .required("discard-bytes-ok", INT).build());
        }
        UnionType specific = new UnionType("BlockStatsSpecific",
                ObjectType.builder("BlockStatsSpecific-base").required("driver", driverEnum).build(), "driver",
                specificVariants);
        TypeRef self = new TypeRef("BlockStats");
        ObjectType blockStatsType = ObjectType.builder("BlockStats")
                .optional("device", STR)
                .optional("qdev", STR)
                .optional("node-name", STR)
                .required("stats", stats)
                .optional("driver-specific", specific)
                .optional("parent", self)
                .optional("backing", self)
                .build();
        self.bind(blockStatsType);
        return blockStatsType;
    }

    public EnumType onOffAuto() {
        return onOffAuto;
    }

    /** BlockdevRef: inline BlockdevOptions or a node name. */
    public AlternateType blockdevRef() {
        return blockdevRef;
    }

    /** BlockdevRefOrNull: inline options, a node name, or null (qcow2's {@code backing}). */
    public AlternateType blockdevRefOrNull() {
        return blockdevRefOrNull;
    }

    public EnumType driverEnum() {
        return driverEnum;
    }

    public UnionType blockdevOptions() {
        return blockdevOptions;
    }

    /** BlockPermission (take-child-perms of blkdebug, x-debug-query-block-graph's perm lists). */
    public EnumType permission() {
        return permission;
    }

    public AlternateType strOrNull() {
        return strOrNull;
    }

    public ObjectType blockDeviceInfo() {
        return blockDeviceInfo;
    }

    public ObjectType blockInfo() {
        return blockInfo;
    }

    public ObjectType blockStats() {
        return blockStats;
    }

    public ObjectType xdbgGraph() {
        return xdbgGraph;
    }

    /** SnapshotInfo (ImageInfo's {@code snapshots}, blockdev-snapshot-delete-internal-sync's answer). */
    public ObjectType snapshotInfo() {
        return snapshotInfo;
    }

    public ObjectType imageInfo() {
        return imageInfo;
    }

    /** Resolves declared types for checks of -blockdev's key=value form. */
    public QapiType resolve(QapiType t) {
        return TypeRef.resolve(t);
    }
}
