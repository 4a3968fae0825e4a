package dev.blockdeck.engine.device;

import static dev.blockdeck.engine.monitor.qapi.BuiltinType.STR;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.qmp.BlockTypes;
import dev.blockdeck.engine.monitor.EventBroadcaster;
import dev.blockdeck.engine.monitor.qapi.CommandDef;
import dev.blockdeck.engine.monitor.qapi.EventDef;
import dev.blockdeck.engine.monitor.qapi.ObjectType;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;
import dev.blockdeck.engine.qom.QomTree;
import dev.blockdeck.engine.vm.VmState;
import dev.blockdeck.qmp.QmpErrorClass;
import dev.blockdeck.qmp.QmpException;

/**
 * device_add, device_del, DEVICE_DELETED, and the downstream live move {@value #SET_IOTHREAD}
 * ({@code {id, iothread: str|null}}): a virtio-blk-pci's queue, backend and node component move to another iothread
 * (or the main loop) while the guest does I/O, which QEMU cannot do.
 */
public final class DeviceCommands {
    public static final String SET_IOTHREAD = "__dev.blockdeck_device-set-iothread";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DeviceCommands() {
    }

    /** Declares the commands for {@code machine} ({@code none} or {@code q35}); returns the device registry. */
    public static Devices register(QapiSchema schema, BlockGraph graph, IoThreads ioThreads, QomTree tree,
                                   VmState vm, EventBroadcaster events, String machine, String program) {
        Devices devices = new Devices(graph, ioThreads, tree, vm, new DeviceEvents(events), machine, program);
        schema.add(CommandDef.of("device_add", ObjectType.builder("q_obj_device_add-arg").required("driver", STR)
                .optional("bus", STR).optional("id", STR).build(), ObjectType.EMPTY, (ctx, args) -> {
                    devices.add(DeviceOptions.fromQmp(args), true);
                    return F.objectNode();
                }).withFeatures("json-cli", "json-cli-hotplug").withUncheckedArguments());
        schema.add(CommandDef.of("device_del", ObjectType.builder("q_obj_device_del-arg").required("id", STR).build(),
                ObjectType.EMPTY, (ctx, args) -> {
                    devices.unplugRequest(args.get("id").textValue());
                    return F.objectNode();
                }));
        schema.add(new EventDef("DEVICE_DELETED", ObjectType.builder("q_obj_DEVICE_DELETED-arg")
                .optional("device", STR).required("path", STR).build()));
        schema.add(CommandDef.of(SET_IOTHREAD, ObjectType.builder("q_obj_" + SET_IOTHREAD + "-arg")
                .required("id", STR).required("iothread", BlockTypes.get().strOrNull()).build(), ObjectType.EMPTY,
                (ctx, args) -> {
                    setIothread(devices, ioThreads, args.get("id").textValue(), args.get("iothread"));
                    return F.objectNode();
                }));
        return devices;
    }

    private static void setIothread(Devices devices, IoThreads ioThreads, String id, JsonNode io) {
        VirtioBlkPci dev = devices.virtioBlk(id).orElseThrow(
                () -> new QmpException(QmpErrorClass.DeviceNotFound, "Device '" + id + "' not found"));
        IoThread target = null;
        if (io.isTextual()) {
            target = ioThreads.find(io.textValue()).orElseThrow(
                    () -> new QmpException("Cannot find iothread " + io.textValue()));
        }
        dev.setIothread(target);
    }
}
