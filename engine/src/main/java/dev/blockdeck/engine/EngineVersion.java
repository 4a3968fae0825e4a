package dev.blockdeck.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The QEMU version the engine answers as (its QMP behaviour follows 7.2), and our own build in
 * {@code package}, which is where QEMU reports its distribution's package version.
 */
public final class EngineVersion {
    public static final int MAJOR = 7;
    public static final int MINOR = 2;
    public static final int MICRO = 0;
    public static final String BLOCKDECK = "0.1.0";
    public static final String PACKAGE = "BlockDeck " + BLOCKDECK;

    private EngineVersion() {
    }

    /** {@code VersionInfo}, as query-version and the greeting give it. */
    public static ObjectNode versionInfo() {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        ObjectNode q = v.putObject("qemu");
        q.put("major", MAJOR);
        q.put("minor", MINOR);
        q.put("micro", MICRO);
        v.put("package", PACKAGE);
        return v;
    }
}
