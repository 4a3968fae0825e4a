package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Locale;

/** How sizes and file names are shown on a small card. */
public final class Units {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Units() {
    }

    /** Binary units as qemu-img prints them: {@code 64 MiB}, {@code 192.5 KiB}, {@code 1 GiB}. */
    public static String bytes(long size) {
        if (size < 0) {
            return "?";
        }
        int unit = 0;
        double value = size;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = unit == 0 || value >= 100 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value).replaceAll("\\.0$", "");
        return number + " " + UNITS[unit];
    }

    /**
     * The image file inside a {@code json:{...}} pseudo-filename (QEMU shows one when a node's children are
     * not what its header would open, e.g. {@code backing} given explicitly): {@code file.filename} or
     * {@code filename}; null if none.
     */
    static String jsonFilename(String json) {
        try {
            JsonNode tree = new ObjectMapper().readTree(json);
            JsonNode name = tree.path("file").path("filename");
            if (!name.isTextual()) {
                name = tree.path("filename");
            }
            return name.isTextual() ? name.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * The last path element ({@code top1.qcow2}), {@code json:{…}} for a pseudo-filename, shortened in the
     * middle beyond {@code max} characters. The full name goes in the tooltip.
     */
    public static String shortFile(String file, int max) {
        if (file == null || file.isEmpty()) {
            return "";
        }
        if (file.startsWith("json:")) {
            String inner = jsonFilename(file.substring("json:".length()));
            return inner == null ? "json:{…}" : "json: " + shortFile(inner, max - 6);
        }
        String s = file;
        int slash = s.lastIndexOf('/', s.length() - 2);
        if (slash >= 0 && !s.contains("://")) {
            s = s.substring(slash + 1);
        }
        if (s.length() <= max) {
            return s;
        }
        int keep = max - 1;
        int head = keep / 2;
        return s.substring(0, head) + "…" + s.substring(s.length() - (keep - head));
    }
}
