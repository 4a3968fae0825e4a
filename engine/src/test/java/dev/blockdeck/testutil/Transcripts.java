package dev.blockdeck.testutil;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Normalises QMP transcripts so that the engine's and QEMU's can be compared line for line: what
 * legitimately differs (clock, QEMU's micro version and package string) is replaced, nothing else.
 */
public final class Transcripts {
    private static final Pattern TIMESTAMP =
            Pattern.compile("\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}");
    private static final Pattern MICRO = Pattern.compile("\"micro\": \\d+");
    private static final Pattern PACKAGE = Pattern.compile("\"package\": \"(?:[^\"\\\\]|\\\\.)*\"");

    private Transcripts() {
    }

    public static String normalize(String line) {
        String s = TIMESTAMP.matcher(line).replaceAll("\"timestamp\": {\"seconds\": S, \"microseconds\": U}");
        s = MICRO.matcher(s).replaceAll("\"micro\": M");
        return PACKAGE.matcher(s).replaceAll("\"package\": \"P\"");
    }

    public static List<String> normalize(List<String> lines) {
        return lines.stream().map(Transcripts::normalize).toList();
    }
}
