package dev.blockdeck.engine.block;

import java.util.ArrayList;
import java.util.List;

/**
 * QEMU 7.2's four block permissions, as bits. A child edge carries the permissions its parent takes
 * ({@code perm}) and those it lets others take ({@code shared-perm}).
 */
public enum BlockPerm {
    CONSISTENT_READ("consistent-read", "consistent read"),
    WRITE("write", "write"),
    WRITE_UNCHANGED("write-unchanged", "write unchanged"),
    RESIZE("resize", "resize");

    /** Every permission. */
    public static final int ALL = 0xF;

    private final String qapiName;
    private final String text;

    BlockPerm(String qapiName, String text) {
        this.qapiName = qapiName;
        this.text = text;
    }

    public int bit() {
        return 1 << ordinal();
    }

    public String qapiName() {
        return qapiName;
    }

    public boolean in(int mask) {
        return (mask & bit()) != 0;
    }

    public static int mask(BlockPerm... perms) {
        int m = 0;
        for (BlockPerm p : perms) {
            m |= p.bit();
        }
        return m;
    }

    /** QEMU's wording in messages: {@code consistent read, write} (enum order, comma separated). */
    public static String names(int mask) {
        StringBuilder sb = new StringBuilder();
        for (BlockPerm p : values()) {
            if (p.in(mask)) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(p.text);
            }
        }
        return sb.toString();
    }

    /** The QAPI list as x-debug-query-block-graph shows it: reverse enum order. */
    public static List<String> qapiList(int mask) {
        List<String> out = new ArrayList<>();
        BlockPerm[] all = values();
        for (int i = all.length - 1; i >= 0; i--) {
            if (all[i].in(mask)) {
                out.add(all[i].qapiName);
            }
        }
        return out;
    }
}
