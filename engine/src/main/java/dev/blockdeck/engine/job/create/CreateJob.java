package dev.blockdeck.engine.job.create;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.BlockNode;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.driver.file.HostErrors;
import dev.blockdeck.engine.block.driver.qcow2.Qcow2Create;
import dev.blockdeck.engine.job.Job;
import dev.blockdeck.engine.job.JobRegistry;

/**
 * {@code blockdev-create}: formats an image in a job of type {@code create} that stays concluded until dismissed
 * (QEMU's JOB_MANUAL_DISMISS). The {@code file} driver creates a host file; {@code qcow2} formats an existing node
 * through a backend that takes write and resize. The main-loop part (lookups, the backend) runs while the command
 * runs, so its errors conclude the job before the command returns, as in QEMU; the writing runs on a worker.
 */
public final class CreateJob extends Job {
    private final BlockGraph graph;
    private final ObjectNode options;
    private BlockBackend blk;
    private BlockNode opened;

    public CreateJob(JobRegistry registry, String id, BlockGraph graph, ObjectNode options) {
        super(registry, id, "create", true, false);
        this.graph = graph;
        this.options = options;
        setProgress(0, 1);
    }

    @Override
    protected void begin() {
        String driver = options.get("driver").textValue();
        Runnable work;
        try {
            work = switch (driver) {
                case "file" -> fileWork();
                case "qcow2" -> qcow2Work();
                default -> throw new BlockException("Driver '" + driver + "' does not support image creation");
            };
        } catch (RuntimeException e) {
            setProgress(1, 1); // QEMU counts the one step done whatever its outcome
            workDone(e);
            return;
        }
        graph.workers().submit(() -> {
            RuntimeException failure = null;
            try {
                work.run();
            } catch (RuntimeException e) {
                failure = e;
            }
            setProgress(1, 1);
            workDone(failure);
        });
    }

    private Runnable fileWork() {
        String filename = options.get("filename").textValue();
        long size = options.get("size").asLong();
        String prealloc = options.path("preallocation").asText("off");
        if (!prealloc.equals("off") && !prealloc.equals("falloc") && !prealloc.equals("full")) {
            throw new BlockException("Unsupported preallocation mode '" + prealloc + "'");
        }
        return () -> {
            try (FileChannel ch = FileChannel.open(Path.of(filename), new OpenOption[] {StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.CREATE})) {
                ch.truncate(0);
                if (size > 0) {
                    if (prealloc.equals("off")) {
                        ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
                        ch.truncate(size);
                    } else {
                        java.nio.ByteBuffer zero = java.nio.ByteBuffer.allocate(1 << 20);
                        for (long at = 0; at < size; at += zero.capacity()) {
                            zero.clear().limit((int) Math.min(zero.capacity(), size - at));
                            ch.write(zero, at);
                        }
                    }
                }
            } catch (IOException e) {
                throw new BlockException("Could not create '" + filename + "': " + HostErrors.text(e));
            }
        };
    }

    private Runnable qcow2Work() {
        Qcow2Create.Options o = new Qcow2Create.Options().size(options.get("size").asLong());
        if (options.has("version")) {
            o.version = options.get("version").textValue().equals("v2") ? 2 : 3;
        }
        if (options.has("cluster-size")) {
            o.clusterSize = options.get("cluster-size").asLong();
        }
        if (options.has("refcount-bits")) {
            o.refcountBits = options.get("refcount-bits").asLong();
        }
        if (options.has("lazy-refcounts")) {
            o.lazyRefcounts = options.get("lazy-refcounts").asBoolean();
        }
        if (options.has("extended-l2")) {
            o.extendedL2 = options.get("extended-l2").asBoolean();
        }
        if (options.has("compression-type")) {
            o.compressionType = options.get("compression-type").textValue();
        }
        if (options.has("backing-file")) {
            o.backingFile = options.get("backing-file").textValue();
        }
        if (options.has("backing-fmt")) {
            o.backingFmt = options.get("backing-fmt").textValue();
        }
        if (options.has("preallocation")) {
            try {
                o.preallocation = Qcow2Create.Preallocation.parse(options.get("preallocation").textValue());
            } catch (IOException e) {
                throw new BlockException(e.getMessage());
            }
        }
        if (options.has("encrypt") || options.has("data-file")) {
            throw new BlockException("This engine creates qcow2 images without encryption or external data files");
        }
        String invalid = Qcow2Create.validate(o);
        if (invalid != null) {
            throw new BlockException(invalid);
        }
        BlockNode bs = openRef(options.get("file"));
        blk = graph.newBackend(bs.aioContext(), 0, BlockPerm.ALL);
        graph.insert(blk, bs);
        graph.setBackendPerm(blk, BlockPerm.WRITE.bit() | BlockPerm.RESIZE.bit(), BlockPerm.ALL);
        blk.setAllowWriteBeyondEof(true);
        BackendHostFile host = new BackendHostFile(blk);
        return () -> {
            try {
                Qcow2Create.create(host, o);
            } catch (IOException e) {
                throw new BlockException(e.getMessage());
            }
        };
    }

    /** QEMU's bdrv_open_blockdev_ref: a node name, or inline options opened for the job only. */
    private BlockNode openRef(JsonNode ref) {
        if (ref.isTextual()) {
            return graph.lookupBs(ref.textValue(), ref.textValue());
        }
        NodeOptions o = NodeOptions.flatten((ObjectNode) ref);
        o.setDefault("cache.direct", "off");
        o.setDefault("cache.no-flush", "off");
        o.setDefault("read-only", "off");
        opened = graph.open(null, null, o, 0);
        return opened;
    }

    @Override
    protected void cleaned() {
        if (blk != null) {
            graph.deleteBackend(blk);
            blk = null;
        }
        if (opened != null) {
            graph.unref(opened);
            opened = null;
        }
    }
}
