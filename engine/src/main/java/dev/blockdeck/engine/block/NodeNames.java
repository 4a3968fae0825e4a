package dev.blockdeck.engine.block;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Node names as QEMU checks and generates them: a user name is an identifier (ASCII letter, then letters,
 * digits, {@code -._}) of at most 31 bytes; a generated one is {@code #block} + a per-process counter + two
 * random digits, which users can never type.
 */
public final class NodeNames {
    /** QEMU keeps names in a 32-byte buffer. */
    public static final int MAX_BYTES = 31;

    private long counter;

    /** QEMU's {@code id_wellformed}: the rule for node names, BlockBackend ids, job ids and QOM ids. */
    public static boolean wellFormed(String id) {
        if (id.isEmpty() || !isAsciiLetter(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.' && c != '_') {
                return false;
            }
        }
        return true;
    }

    public static boolean tooLong(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The next generated name ({@code #block} + counter + 00..99). Main loop only. */
    public String generate() {
        return "#block" + (counter++) + String.format("%02d", ThreadLocalRandom.current().nextInt(100));
    }
}
