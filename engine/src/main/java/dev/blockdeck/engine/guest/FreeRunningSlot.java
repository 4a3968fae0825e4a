package dev.blockdeck.engine.guest;

/**
 * One of the {@code queue-depth} request slots a free-running workload keeps on each drive: reads and writes
 * where the access pattern says, one request at a time, until the workload stops. A failed request is counted
 * and the slot pauses briefly before going on (a drive that fails everything does not spin a thread).
 */
final class FreeRunningSlot {
    private final GuestWorkload wl;
    private final GuestDrive drive;
    private final int slot;

    FreeRunningSlot(GuestWorkload wl, GuestDrive drive, int slot) {
        this.wl = wl;
        this.drive = drive;
        this.slot = slot;
    }

    void start() {
        wl.pace(drive, this::step);
    }

    private void step() {
        if (!wl.begin()) {
            wl.streamEnded();
            return;
        }
        boolean wantRead = drive.percentRoll() < wl.config().readPercent();
        GuestDrive.Pick p = drive.pickFreeRunning(wantRead);
        if (p == null) {
            // every pick had a write in flight: let those complete first
            wl.retryLater(drive, this::step);
            wl.end();
            return;
        }
        // free-running writes carry the workload's sequence and the slot as writer: for tracing, not for cuts
        long seq = p.read() ? 0 : wl.nextSequence();
        wl.issue(drive, p, seq, slot, ok -> {
            if (wl.stopping()) {
                wl.streamEnded();
            } else if (ok) {
                wl.pace(drive, this::step);
            } else {
                wl.retryLater(drive, this::step);
            }
            wl.end();
        });
    }
}
