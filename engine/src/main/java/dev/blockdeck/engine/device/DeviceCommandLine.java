package dev.blockdeck.engine.device;

import java.util.List;
import java.util.Map;

import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.cli.KeyValues;
import dev.blockdeck.engine.cli.OptionError;
import dev.blockdeck.engine.monitor.MainLoop;
import dev.blockdeck.qmp.QmpException;

/**
 * {@code -global} and {@code -device} at start, after the objects and drives exist and before any monitor listens,
 * in command-line order; errors read like QEMU's ({@code PROG: -device TEXT: message}). The only global the engine
 * knows is the q35 hotplug mode.
 */
final class DeviceCommandLine {
    static final String HOTPLUG_GLOBAL = "ICH9-LPC.acpi-pci-hotplug-with-bridge-support";

    private DeviceCommandLine() {
    }

    static void create(Devices devices, String program, MainLoop mainLoop, String machine, List<String> globals,
                       List<String> options) throws EngineStartException {
        for (String g : globals) {
            global(devices, program, machine, g);
        }
        if (options.isEmpty()) {
            return;
        }
        String[] failed = new String[1];
        try {
            mainLoop.call(() -> {
                for (String text : options) {
                    String shown = program + ": -device " + text + ": ";
                    try {
                        devices.add(parse(text), false);
                    } catch (QmpException e) {
                        failed[0] = shown + e.desc();
                        return null;
                    } catch (BlockException e) {
                        failed[0] = shown + e.getMessage();
                        return null;
                    }
                }
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException(program + ": interrupted while creating devices", e);
        }
        if (failed[0] != null) {
            throw new EngineStartException(failed[0]);
        }
    }

    private static DeviceOptions parse(String text) {
        if (text.startsWith("{")) {
            throw new QmpException("-device in JSON form is not supported by this engine (use key=value)");
        }
        try {
            return DeviceOptions.fromCommandLine(KeyValues.parse(text, "driver", "-device " + text));
        } catch (OptionError e) {
            throw new QmpException(e.getMessage());
        }
    }

    private static void global(Devices devices, String program, String machine, String text)
            throws EngineStartException {
        int eq = text.indexOf('=');
        int dot = text.indexOf('.');
        if (eq < 0 || dot < 0 || dot > eq) {
            String key = eq < 0 ? text : text.substring(0, eq);
            throw new EngineStartException(program + ": -global " + text + ": Invalid parameter '" + key + "'");
        }
        String property = text.substring(0, eq);
        String value = text.substring(eq + 1);
        if (!property.equals(HOTPLUG_GLOBAL)) {
            throw new EngineStartException(program + ": -global " + text + ": not supported by this engine (only "
                    + HOTPLUG_GLOBAL + "=on|off)");
        }
        if (!machine.equals("q35")) {
            return; // QEMU accepts globals for devices the machine does not have
        }
        try {
            devices.setNativeHotplug(!Devices.parseBool(property.substring(dot + 1), value));
        } catch (QmpException e) {
            throw new EngineStartException(program + ": can't apply global " + text + ": " + e.desc());
        }
    }
}
