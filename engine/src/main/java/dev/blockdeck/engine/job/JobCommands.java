package dev.blockdeck.engine.job;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.driver.Drivers;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.job.create.CreateJob;
import dev.blockdeck.engine.monitor.EventBroadcaster;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.EventDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.engine.monitor.qapi.UnionType;
import dev.blockdeck.qmp.QmpException;

/** query-jobs, job-cancel/pause/resume/complete/finalize/dismiss, blockdev-create and JOB_STATUS_CHANGE. */
public final class JobCommands {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final EnumType STATUS = new EnumType("JobStatus",
            Arrays.stream(JobStatus.values()).map(JobStatus::qapiName).toList());
    private static final EnumType TYPE = EnumType.of("JobType", "commit", "stream", "mirror", "backup", "create",
            "amend", "snapshot-load", "snapshot-save", "snapshot-delete");

    private JobCommands() {
    }

    public static JobRegistry register(QapiSchema schema, BlockGraph graph, EventBroadcaster events) {
        JobRegistry jobs = new JobRegistry(graph.mainContext(), (id, status) -> {
            if (events != null) {
                events.emit("JOB_STATUS_CHANGE", F.objectNode().put("id", id).put("status", status));
            }
        });
        schema.add(new EventDef("JOB_STATUS_CHANGE", ObjectType.builder("q_obj_JOB_STATUS_CHANGE-arg")
                .required("id", STR).required("status", STATUS).build()));
        ObjectType info = ObjectType.builder("JobInfo").required("id", STR).required("type", TYPE)
                .required("status", STATUS).required("current-progress", INT).required("total-progress", INT)
                .optional("error", STR).build();
        schema.add(CommandDef.of("query-jobs", ObjectType.EMPTY, new ArrayType(info), (ctx, args) -> {
            ArrayNode out = F.arrayNode();
            for (Job j : jobs.jobs()) {
                ObjectNode o = out.addObject();
                o.put("id", j.id());
                o.put("type", j.type());
                o.put("status", j.status().qapiName());
                o.put("current-progress", j.progressCurrent());
                o.put("total-progress", j.progressTotal());
                if (j.error() != null) {
                    o.put("error", j.error());
                }
            }
            return out;
        }));
        verb(schema, jobs, "job-cancel", "q_obj_job-cancel-arg", Job::cancel);
        verb(schema, jobs, "job-pause", "q_obj_job-pause-arg", Job::pause);
        verb(schema, jobs, "job-resume", "q_obj_job-resume-arg", Job::resume);
        verb(schema, jobs, "job-complete", "q_obj_job-complete-arg", j -> j.checkVerb(JobVerb.COMPLETE));
        verb(schema, jobs, "job-dismiss", "q_obj_job-dismiss-arg", j -> {
            j.checkVerb(JobVerb.DISMISS);
            j.dismiss();
        });
        verb(schema, jobs, "job-finalize", "q_obj_job-finalize-arg", j -> {
            j.checkVerb(JobVerb.FINALIZE);
            j.finalizeJob();
        });
        schema.add(CommandDef.of("blockdev-create", ObjectType.builder("q_obj_blockdev-create-arg")
                .required("job-id", STR).required("options", createOptions()).build(), ObjectType.EMPTY,
                (ctx, args) -> {
                    run(() -> jobs.start(new CreateJob(jobs, args.get("job-id").textValue(), graph,
                            (ObjectNode) args.get("options"))));
                    return F.objectNode();
                }));
        return jobs;
    }

    private static void verb(QapiSchema schema, JobRegistry jobs, String name, String argType, Consumer<Job> action) {
        schema.add(CommandDef.of(name, ObjectType.builder(argType).required("id", STR).build(), ObjectType.EMPTY,
                (ctx, args) -> {
                    run(() -> action.accept(jobs.lookup(args.get("id").textValue())));
                    return F.objectNode();
                }));
    }

    /** BlockdevCreateOptions with the variants the engine can create (file, qcow2). */
    private static UnionType createOptions() {
        BlockTypes t = BlockTypes.get();
        EnumType prealloc = EnumType.of("PreallocMode", "off", "metadata", "falloc", "full");
        EnumType allDrivers = new EnumType("q_BlockdevDriver-all", Drivers.QEMU_ORDER);
        ObjectType file = ObjectType.builder("BlockdevCreateOptionsFile").required("filename", STR)
                .required("size", INT).optional("preallocation", prealloc).optional("nocow", BOOL)
                .optional("extent-size-hint", INT).build();
        Map<String, ObjectType> luksVariants = new LinkedHashMap<>();
        luksVariants.put("qcow", ObjectType.builder("QCryptoBlockOptionsQCow").optional("key-secret", STR).build());
        luksVariants.put("luks", ObjectType.builder("QCryptoBlockCreateOptionsLUKS").optional("key-secret", STR)
                .optional("cipher-alg", EnumType.of("QCryptoCipherAlgorithm", "aes-128", "aes-192", "aes-256", "des",
                        "3des", "cast5-128", "serpent-128", "serpent-192", "serpent-256", "twofish-128",
                        "twofish-192", "twofish-256"))
                .optional("cipher-mode", EnumType.of("QCryptoCipherMode", "ecb", "cbc", "xts", "ctr"))
                .optional("ivgen-alg", EnumType.of("QCryptoIVGenAlgorithm", "plain", "plain64", "essiv"))
                .optional("ivgen-hash-alg", hash()).optional("hash-alg", hash())
                .optional("iter-time", INT).build());
        UnionType encrypt = new UnionType("QCryptoBlockCreateOptions",
                ObjectType.builder("QCryptoBlockCreateOptions-base")
                        .required("format", EnumType.of("QCryptoBlockFormat", "qcow", "luks")).build(),
                "format", luksVariants);
        ObjectType qcow2 = ObjectType.builder("BlockdevCreateOptionsQcow2").required("file", t.blockdevRef())
                .optional("data-file", t.blockdevRef()).optional("data-file-raw", BOOL)
                .optional("extended-l2", BOOL).required("size", INT)
                .optional("version", EnumType.of("BlockdevQcow2Version", "v2", "v3"))
                .optional("backing-file", STR).optional("backing-fmt", allDrivers).optional("encrypt", encrypt)
                .optional("cluster-size", INT).optional("preallocation", prealloc).optional("lazy-refcounts", BOOL)
                .optional("refcount-bits", INT)
                .optional("compression-type", EnumType.of("Qcow2CompressionType", "zlib", "zstd")).build();
        Map<String, ObjectType> variants = new LinkedHashMap<>();
        variants.put("file", file);
        variants.put("qcow2", qcow2);
        List<String> tagOrder = List.of("file", "qcow2");
        return new UnionType("BlockdevCreateOptions", ObjectType.builder("BlockdevCreateOptions-base")
                .required("driver", new EnumType("q_BlockdevDriver-create", Drivers.QEMU_ORDER.stream()
                        .filter(tagOrder::contains).toList())).build(), "driver", variants);
    }

    private static EnumType hash() {
        return EnumType.of("QCryptoHashAlgorithm", "md5", "sha1", "sha224", "sha256", "sha384", "sha512",
                "ripemd160");
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (BlockException e) {
            throw new QmpException(e.getMessage());
        }
    }

}
