package dev.blockdeck.engine.monitor.qapi;

/** What a command handler may know about the monitor it was called from. */
public interface CommandContext {
    /** The capabilities this monitor offered in its greeting. */
    java.util.Set<String> offeredCapabilities();

    /** Whether {@code qmp_capabilities} already succeeded on this monitor. */
    boolean negotiated();

    /** Leaves negotiation mode with the given capabilities enabled. */
    void completeNegotiation(java.util.Set<String> enabled);
}
