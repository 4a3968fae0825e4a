package dev.blockdeck.engine.cli;

import java.util.List;
import java.util.Map;

/** What an engine command line asks for. Block and device options are kept as parsed for the block layer. */
public record EngineOptions(
        List<ChardevSpec> qmp,
        String machine,
        boolean startPaused,
        boolean nodefaults,
        String name,
        List<Map<String, String>> objects,
        List<String> blockdevs,
        List<String> drives,
        List<String> devices,
        List<String> globals,
        boolean allowRemoteQmp) {

    public EngineOptions {
        qmp = List.copyOf(qmp);
        objects = List.copyOf(objects);
        blockdevs = List.copyOf(blockdevs);
        drives = List.copyOf(drives);
        devices = List.copyOf(devices);
        globals = List.copyOf(globals);
    }
}
