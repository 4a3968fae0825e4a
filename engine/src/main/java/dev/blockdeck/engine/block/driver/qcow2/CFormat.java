package dev.blockdeck.engine.block.driver.qcow2;

/**
 * printf as QEMU's C messages use it: {@code %#x} prints 0 as "0" (C's alternate form adds "0x" only to non-zero
 * values, where Java's prints "0x0"); {@code %s}, {@code %d} and {@code %%} as usual.
 */
final class CFormat {
    private CFormat() {
    }

    static String format(String fmt, Object... args) {
        StringBuilder sb = new StringBuilder();
        int a = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                sb.append(c);
            } else if (fmt.startsWith("%#x", i)) {
                long v = ((Number) args[a++]).longValue();
                sb.append(v == 0 ? "0" : "0x" + Long.toHexString(v));
                i += 2;
            } else if (fmt.startsWith("%%", i)) {
                sb.append('%');
                i += 1;
            } else {
                sb.append(args[a++]);
                i += 1;
            }
        }
        return sb.toString();
    }
}
