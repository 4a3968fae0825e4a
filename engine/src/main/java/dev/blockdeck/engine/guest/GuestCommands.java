package dev.blockdeck.engine.guest;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.BOOL;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.INT;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.SIZE;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;
import static dev.blockdeck.engine.monitor.qapi.BuiltinType.UINT64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.monitor.qapi.ArrayType;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.EnumType;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;

/**
 * The synthetic guest's downstream QMP commands (QEMU has none of these; names carry the {@code __dev.blockdeck_}
 * prefix the QMP specification asks of vendor extensions): {@value #START}, {@value #STOP}, {@value #QUERY}.
 */
public final class GuestCommands {
    public static final String START = "__dev.blockdeck_guest-workload-start";
    public static final String VERIFY_FAILED = "__dev.blockdeck_GUEST_VERIFY_FAILED";
    public static final String STOP = "__dev.blockdeck_guest-workload-stop";
    public static final String QUERY = "__dev.blockdeck_query-guest-workloads";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private GuestCommands() {
    }

    /** Declares the commands over {@code graph}'s drives; returns the workload registry. */
    public static GuestWorkloads register(QapiSchema schema, BlockGraph graph) {
        return register(schema, graph, GuestDiskLookup.NONE);
    }

    /** Declares the commands over {@code graph}'s drives and the guest devices {@code devices} finds. */
    public static GuestWorkloads register(QapiSchema schema, BlockGraph graph, GuestDiskLookup devices) {
        GuestWorkloads workloads = new GuestWorkloads(graph, devices);
        // a read that does not hold what was last written there: counted, and told at once
        schema.add(new dev.blockdeck.engine.monitor.qapi.EventDef(VERIFY_FAILED, ObjectType.builder(
                "q_obj_" + VERIFY_FAILED + "-arg").required("id", STR).required("drive", STR).required("block", INT)
                .required("reason", STR).build()));
        ObjectType info = ObjectType.builder("__dev.blockdeck_GuestWorkloadInfo")
                .required("id", STR)
                .required("drives", new ArrayType(STR))
                .required("ops", INT)
                .required("reads", INT)
                .required("writes", INT)
                .required("errors", INT)
                .required("verify-failures", INT)
                .required("bytes-read", INT)
                .required("bytes-written", INT)
                .required("running", BOOL)
                .optional("error", STR)
                .build();
        ObjectType startArgs = ObjectType.builder("q_obj_" + START + "-arg")
                .required("id", STR)
                .required("drives", new ArrayType(STR))
                .optional("block-size", SIZE)
                .optional("pattern", EnumType.of("__dev.blockdeck_GuestAccessPattern", "sequential", "random"))
                .optional("rate", UINT64)
                .optional("queue-depth", INT)
                .optional("read-percent", INT)
                .optional("dependent", BOOL)
                .optional("writers", INT)
                .build();
        schema.add(CommandDef.of(START, startArgs, ObjectType.EMPTY, (ctx, args) -> {
            workloads.start(WorkloadConfig.parse(args));
            return F.objectNode();
        }));
        schema.add(CommandDef.of(STOP, ObjectType.builder("q_obj_" + STOP + "-arg").required("id", STR).build(),
                info, (ctx, args) -> describe(workloads.stop(args.get("id").textValue()))));
        schema.add(CommandDef.of(QUERY, ObjectType.EMPTY, new ArrayType(info), (ctx, args) -> {
            ArrayNode out = F.arrayNode();
            workloads.list().forEach(w -> out.add(describe(w)));
            return out;
        }));
        return workloads;
    }

    private static JsonNode describe(GuestWorkload w) {
        WorkloadStats.Snapshot s = w.stats().snapshot();
        ObjectNode o = F.objectNode();
        o.put("id", w.config().id());
        ArrayNode drives = o.putArray("drives");
        w.config().drives().forEach(drives::add);
        o.put("ops", s.ops());
        o.put("reads", s.reads());
        o.put("writes", s.writes());
        o.put("errors", s.errors());
        o.put("verify-failures", s.verifyFailures());
        o.put("bytes-read", s.bytesRead());
        o.put("bytes-written", s.bytesWritten());
        o.put("running", w.running());
        if (s.firstProblem() != null) {
            o.put("error", s.firstProblem());
        }
        return o;
    }
}
