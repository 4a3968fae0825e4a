package dev.blockdeck.engine.block.driver.blkdebug;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.BlockPerm;
import dev.blockdeck.engine.block.NodeOptions;

/** blkdebug's {@code take-child-perms} / {@code unshare-child-perms}: a list of BlockPermission names. */
final class PermList {
    private PermList() {
    }

    /** Removes {@code key.0}, {@code key.1}, ... from {@code options}; returns the permission bits named. */
    static int take(NodeOptions options, String key) {
        NodeOptions list = options.extract(key);
        int mask = 0;
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(Integer.toString(i));
            if (v == null) {
                throw new BlockException("Invalid parameter type for '<anonymous>', expected: array");
            }
            if (!v.isTextual()) {
                throw new BlockException("Invalid parameter type for 'null', expected: string");
            }
            mask |= bit(v.textValue());
        }
        return mask;
    }

    private static int bit(String name) {
        for (BlockPerm p : BlockPerm.values()) {
            if (p.qapiName().equals(name)) {
                return p.bit();
            }
        }
        throw new BlockException("Parameter 'null' does not accept value '" + name + "'");
    }
}
