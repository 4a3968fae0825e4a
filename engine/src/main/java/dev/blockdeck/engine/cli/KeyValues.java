package dev.blockdeck.engine.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * QEMU's {@code key=value,key=value} option syntax: {@code ,,} is a literal comma, and the first
 * element may omit its key (it then goes to the option's implied key, e.g. {@code qom-type}).
 */
public final class KeyValues {
    private KeyValues() {
    }

    /** Parses {@code text}; a first element without {@code =} is stored under {@code impliedKey}. */
    public static Map<String, String> parse(String text, String impliedKey, String optionText) throws OptionError {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        boolean first = true;
        while (i <= text.length()) {
            StringBuilder elem = new StringBuilder();
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == ',') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == ',') {
                        elem.append(',');
                        i += 2;
                        continue;
                    }
                    break;
                }
                elem.append(c);
                i++;
            }
            i++; // skip the separator
            String e = elem.toString();
            int eq = e.indexOf('=');
            if (eq < 0) {
                if (first && impliedKey != null) {
                    out.put(impliedKey, e);
                } else if (!e.isEmpty()) {
                    out.put(e, "on"); // a bare flag means on, as in QemuOpts
                }
            } else {
                String key = e.substring(0, eq);
                if (key.isEmpty()) {
                    throw new OptionError(optionText, "Invalid parameter ''");
                }
                out.put(key, e.substring(eq + 1));
            }
            first = false;
        }
        return out;
    }

    /** QEMU's boolean option values. */
    public static boolean bool(String key, String value, String optionText) throws OptionError {
        return switch (value) {
            case "on", "yes", "true", "y" -> true;
            case "off", "no", "false", "n" -> false;
            default -> throw new OptionError(optionText, "Parameter '" + key + "' expects 'on' or 'off'");
        };
    }
}
