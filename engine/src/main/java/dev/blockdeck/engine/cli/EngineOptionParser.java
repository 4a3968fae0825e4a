package dev.blockdeck.engine.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a QEMU-style engine command line. Options may start with one dash or two, as in QEMU;
 * a later {@code -M} overrides an earlier one; errors read like QEMU's.
 */
public final class EngineOptionParser {
    /** What the command line asks the launcher to do. */
    public enum Action { RUN, HELP, VERSION, MACHINE_HELP }

    public record Result(Action action, EngineOptions options) {
    }

    public static final Set<String> MACHINES = Set.of("none", "q35");
    private static final Set<String> OPTIONS_WITH_ARGUMENT = Set.of(
            "qmp", "M", "machine", "display", "name", "object", "blockdev", "drive", "device", "global");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

    private final List<ChardevSpec> qmp = new ArrayList<>();
    private final List<Map<String, String>> objects = new ArrayList<>();
    private final List<String> blockdevs = new ArrayList<>();
    private final List<String> drives = new ArrayList<>();
    private final List<String> devices = new ArrayList<>();
    private final List<String> globals = new ArrayList<>();
    private final java.util.Set<String> deviceIds = new java.util.HashSet<>();
    private String machine = "none";
    private boolean startPaused;
    private boolean nodefaults;
    private String name;
    private boolean allowRemoteQmp;

    private EngineOptionParser() {
    }

    public static Result parse(List<String> args) throws OptionError {
        return new EngineOptionParser().run(args);
    }

    private Result run(List<String> args) throws OptionError {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                throw new OptionError(arg, "Could not open '" + arg + "': disk images on the command line are"
                        + " not supported (use -blockdev)");
            }
            String opt = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String value = null;
            if (OPTIONS_WITH_ARGUMENT.contains(opt)) {
                if (i + 1 >= args.size()) {
                    throw new OptionError(arg, "requires an argument");
                }
                value = args.get(++i);
            }
            String shown = value == null ? arg : arg + " " + value;
            switch (opt) {
                case "h", "help" -> {
                    return new Result(Action.HELP, null);
                }
                case "version" -> {
                    return new Result(Action.VERSION, null);
                }
                case "qmp" -> qmp.add(ChardevSpec.parse(value, shown));
                case "M", "machine" -> {
                    if (machine(value, shown)) {
                        return new Result(Action.MACHINE_HELP, null);
                    }
                }
                case "S" -> startPaused = true;
                case "nodefaults" -> nodefaults = true;
                case "display" -> display(value, shown);
                case "name" -> name(value, shown);
                case "object" -> objects.add(object(value, shown));
                case "blockdev" -> blockdevs.add(value);
                case "drive" -> drives.add(value);
                case "device" -> devices.add(device(value, shown));
                case "global" -> globals.add(value);
                case "allow-remote-qmp" -> allowRemoteQmp = true;
                default -> throw new OptionError(arg, "invalid option");
            }
        }
        return new Result(Action.RUN, new EngineOptions(qmp, machine, startPaused, nodefaults, name, objects,
                blockdevs, drives, devices, globals, allowRemoteQmp));
    }

    /** Returns true for {@code -M help}. */
    private boolean machine(String value, String shown) throws OptionError {
        Map<String, String> kv = KeyValues.parse(value, "type", shown);
        String type = kv.getOrDefault("type", machine);
        if (type.equals("help") || type.equals("?")) {
            return true;
        }
        if (type.equals("pc-q35-7.2")) {
            type = "q35";
        }
        if (!MACHINES.contains(type)) {
            throw new OptionError(null, "unsupported machine type\nUse -machine help to list supported machines");
        }
        for (String key : kv.keySet()) {
            if (!key.equals("type") && !key.equals("accel")) {
                String qom = type.equals("q35") ? "pc-q35-7.2-machine" : "none-machine";
                throw new OptionError(null, "Property '" + qom + "." + key + "' not found");
            }
        }
        machine = type;
        return false;
    }

    private static void display(String value, String shown) throws OptionError {
        String type = value.split(",", 2)[0];
        if (!type.equals("none")) {
            throw new OptionError(shown, "Parameter 'type' does not accept value '" + type + "'");
        }
    }

    private void name(String value, String shown) throws OptionError {
        Map<String, String> kv = KeyValues.parse(value, "guest", shown);
        for (Map.Entry<String, String> e : kv.entrySet()) {
            switch (e.getKey()) {
                case "guest" -> name = e.getValue();
                case "process" -> { }
                case "debug-threads" -> KeyValues.bool("debug-threads", e.getValue(), shown);
                default -> throw new OptionError(shown, "Invalid parameter '" + e.getKey() + "'");
            }
        }
    }

    /** QemuOpts' checks of a -device at parse time: a well-formed id, unique among the -device options. */
    private String device(String value, String shown) throws OptionError {
        if (value.startsWith("{")) {
            return value; // JSON: checked when the device is created
        }
        String id = KeyValues.parse(value, "driver", shown).get("id");
        if (id != null) {
            if (!IDENTIFIER.matcher(id).matches()) {
                throw new OptionError(shown, "Parameter 'id' expects an identifier\n"
                        + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
            }
            if (!deviceIds.add(id)) {
                throw new OptionError(shown, "Duplicate ID '" + id + "' for device");
            }
        }
        return value;
    }

    private static Map<String, String> object(String value, String shown) throws OptionError {
        Map<String, String> kv = KeyValues.parse(value, "qom-type", shown);
        String type = kv.get("qom-type");
        if (type == null || type.isEmpty()) {
            throw new OptionError(shown, "Parameter 'qom-type' is missing");
        }
        if (!type.equals("iothread")) {
            throw new OptionError(shown, "Parameter 'qom-type' does not accept value '" + type + "'");
        }
        String id = kv.get("id");
        if (id == null) {
            throw new OptionError(shown, "Parameter 'id' is missing");
        }
        if (!IDENTIFIER.matcher(id).matches()) {
            throw new OptionError(shown, "Parameter 'id' expects an identifier\n"
                    + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
        }
        return kv;
    }

    public static boolean isIdentifier(String s) {
        return IDENTIFIER.matcher(s).matches();
    }
}
