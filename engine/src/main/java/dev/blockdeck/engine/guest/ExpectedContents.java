package dev.blockdeck.engine.guest;

import java.util.Arrays;

/**
 * What every block of a drive must contain, as far as the guest knows: the generation of the last
 * write that completed, and the one in flight (while a write is in flight a read may see either).
 * Touched only from the workload's AioContext thread.
 */
public final class ExpectedContents {
    /** No write ever completed to this block. */
    public static final long NEVER = 0;

    private final long[] completed;
    private final long[] inFlight;

    public ExpectedContents(int blocks) {
        completed = new long[blocks];
        inFlight = new long[blocks];
    }

    public int blocks() {
        return completed.length;
    }

    /** The generation the next write to {@code lba} carries. */
    public long nextGeneration(int lba) {
        return Math.max(completed[lba], inFlight[lba]) + 1;
    }

    public void writeStarted(int lba, long generation) {
        inFlight[lba] = generation;
    }

    public void writeCompleted(int lba, long generation) {
        completed[lba] = Math.max(completed[lba], generation);
        if (inFlight[lba] == generation) {
            inFlight[lba] = NEVER;
        }
    }

    /** A failed write leaves the block's content undefined between old and new: accept either. */
    public void writeFailed(int lba, long generation) {
        if (inFlight[lba] == generation) {
            inFlight[lba] = NEVER;
        }
    }

    public boolean writeInFlight(int lba) {
        return inFlight[lba] != NEVER;
    }

    /**
     * Checks what a read returned, given the state when the read was issued ({@code completedAtIssue},
     * {@code inFlightAtIssue}) and now: the read may return any generation from the one complete at issue
     * up to the newest one that started before the read ended. Returns null if acceptable, else why not.
     */
    public String check(int lba, BlockStamp.Found found, long completedAtIssue) {
        long newest = Math.max(completed[lba], inFlight[lba]);
        if (found instanceof BlockStamp.Corrupt c) {
            return c.why();
        }
        if (found instanceof BlockStamp.Unwritten) {
            return completedAtIssue == NEVER ? null
                    : "block " + lba + " reads as never written, but generation " + completedAtIssue + " was";
        }
        long g = ((BlockStamp.Valid) found).stamp().generation();
        if (g < completedAtIssue) {
            return "block " + lba + " has generation " + g + ", older than the completed " + completedAtIssue;
        }
        if (g > newest) {
            return "block " + lba + " has generation " + g + ", which was never written (newest " + newest + ")";
        }
        return null;
    }

    public long completed(int lba) {
        return completed[lba];
    }

    public long[] snapshotCompleted() {
        return Arrays.copyOf(completed, completed.length);
    }
}
