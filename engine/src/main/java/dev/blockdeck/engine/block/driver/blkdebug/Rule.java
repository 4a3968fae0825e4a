package dev.blockdeck.engine.block.driver.blkdebug;

/**
 * One blkdebug rule: when {@code event} happens while the state is {@code state} (0: any state), either arm an
 * error injection or move the state machine to {@code newState}. Numbers are kept as QEMU's C fields hold them
 * (ints truncated from the option's 64 bits, the offset as a byte offset or -1 for "any").
 */
final class Rule {
    enum Action { INJECT_ERROR, SET_STATE }

    final String event;
    final Action action;
    final int state;
    // inject-error
    final int errno;
    final boolean once;
    final boolean immediately;
    final long offset;
    final long iotypeMask;
    // set-state
    final int newState;

    private Rule(String event, Action action, int state, int errno, boolean once, boolean immediately, long offset,
                 long iotypeMask, int newState) {
        this.event = event;
        this.action = action;
        this.state = state;
        this.errno = errno;
        this.once = once;
        this.immediately = immediately;
        this.offset = offset;
        this.iotypeMask = iotypeMask;
        this.newState = newState;
    }

    static Rule injectError(String event, int state, int errno, boolean once, boolean immediately, long sector,
                            long iotypeMask) {
        long offset = sector == -1 ? -1 : sector * 512;
        return new Rule(event, Action.INJECT_ERROR, state, errno, once, immediately, offset, iotypeMask, 0);
    }

    static Rule setState(String event, int state, int newState) {
        return new Rule(event, Action.SET_STATE, state, 0, false, false, -1, 0, newState);
    }

    /** Whether an armed inject-error rule applies to a request (offsets compared unsigned, as in C). */
    boolean matches(long reqOffset, long bytes, IoType type) {
        boolean where = offset == -1 || (bytes != 0 && Long.compareUnsigned(offset, reqOffset) >= 0
                && Long.compareUnsigned(offset, reqOffset + bytes) < 0);
        return where && (iotypeMask & type.bit()) != 0;
    }
}
