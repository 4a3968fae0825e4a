package dev.blockdeck.testutil;

import java.util.Set;

import dev.blockdeck.engine.monitor.qapi.CommandContext;

/** The command context of an in-process dispatch in tests: a monitor that has left negotiation mode. */
public final class NegotiatedContext implements CommandContext {
    @Override
    public Set<String> offeredCapabilities() {
        return Set.of();
    }

    @Override
    public boolean negotiated() {
        return true;
    }

    @Override
    public void completeNegotiation(Set<String> enabled) {
    }
}
