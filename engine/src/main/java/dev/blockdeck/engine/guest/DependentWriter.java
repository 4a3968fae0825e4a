package dev.blockdeck.engine.guest;

import java.util.List;

/**
 * One causal chain of a dependent workload: writer {@code w} issues its k-th write (sequence k, from 1) only once
 * its (k-1)-th completed, on the next drive round-robin (writer w's k-th write goes to drive (w + k - 1) mod n),
 * each to a block never written before. So in any consistent cut of the drives, the writes of one writer present
 * are exactly its sequences 1..m for some m, which is what {@link CutChecker} verifies.
 *
 * <p>Reads ({@code read-percent}) of blocks already written are interleaved on the drive of the next write. The
 * chain ends when that drive is full or a write fails: going on after a write whose content is undefined would
 * make a later cut look inconsistent when it is not.
 */
final class DependentWriter {
    private final GuestWorkload wl;
    private final int writer;
    /** The sequence of the next write. */
    private long next = 1;

    DependentWriter(GuestWorkload wl, int writer) {
        this.wl = wl;
        this.writer = writer;
    }

    void start() {
        wl.pace(drive(), this::step);
    }

    private GuestDrive drive() {
        List<GuestDrive> drives = wl.drives();
        return drives.get((int) ((writer + next - 1) % drives.size()));
    }

    private void step() {
        if (!wl.begin()) {
            wl.streamEnded();
            return;
        }
        GuestDrive d = drive();
        if (wl.config().readPercent() > 0 && d.percentRoll() < wl.config().readPercent()) {
            GuestDrive.Pick read = d.pickCompleted();
            if (read != null) {
                wl.issue(d, read, 0, writer, ok -> continueChain());
                return;
            }
        }
        GuestDrive.Pick write = d.allocateWrite();
        if (write == null) {
            wl.stats().problem("drive '" + d.name + "' is full (" + d.blocks + " blocks of " + d.blockSize
                    + " bytes): writer " + writer + " stopped before its write " + next);
            wl.streamEnded();
            wl.end();
            return;
        }
        long seq = next;
        wl.issue(d, write, seq, writer, ok -> {
            if (ok) {
                next = seq + 1;
                continueChain();
            } else {
                wl.stats().problem("writer " + writer + " stopped: its write " + seq + " failed");
                wl.streamEnded();
                wl.end();
            }
        });
    }

    private void continueChain() {
        if (wl.stopping()) {
            wl.streamEnded();
        } else {
            wl.pace(drive(), this::step);
        }
        wl.end();
    }
}
