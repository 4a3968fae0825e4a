package dev.blockdeck.engine.guest;

import java.util.SplittableRandom;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockBackend;

/**
 * One drive of a workload: where its requests go (a backend or a device's queue), what its blocks must hold,
 * where the next request goes, and the
 * permissions the backend had before the workload took write access (given back on stop).
 *
 * <p>Its state is changed from the backend's context thread. A context move hands the drive to another thread
 * while a task queued to the old one may still be starting, so the state is also guarded by this object's lock
 * (never held across I/O).
 */
final class GuestDrive {
    /** The workload uses at most this many blocks of a drive (16 bytes of bookkeeping each). */
    static final int MAX_BLOCKS = 1 << 20;

    final String name;
    final GuestDisk disk;
    final BlockBackend blk;
    final int blocks;
    final int blockSize;
    final int oldPerm;
    final int oldShared;
    private final ExpectedContents expected;
    private final AccessPattern pattern;
    private final SplittableRandom random;
    /** Dependent mode: the next never-written block. */
    private int nextFree;

    GuestDrive(String name, GuestDisk disk, int blocks, int blockSize, String pattern, long seed) {
        this.name = name;
        this.disk = disk;
        this.blk = disk.backend();
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.oldPerm = blk.perm();
        this.oldShared = blk.sharedPerm();
        this.expected = new ExpectedContents(blocks);
        this.pattern = AccessPattern.of(pattern, blocks, seed);
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    AioContext context() {
        return disk.context();
    }

    /**
     * Runs {@code task} on the backend's context thread of the moment: inline when already there, else queued,
     * and hopping again if the backend moved before it ran.
     */
    void run(Runnable task) {
        AioContext c = disk.context();
        if (c.inThread()) {
            task.run();
            return;
        }
        execute(task);
    }

    /** Always queues (keeps the stack flat between one request's completion and the next request). */
    void execute(Runnable task) {
        try {
            disk.context().execute(() -> run(task));
        } catch (IllegalStateException stopped) {
            // the engine is shutting down after the workload stopped: nothing left to do
        }
    }

    synchronized int percentRoll() {
        return random.nextInt(100);
    }

    /**
     * What a request will do: read block {@code lba} (verified against {@code value}, the generation complete
     * when it was issued) or write it ({@code value} is the generation it carries, already marked in flight).
     */
    record Pick(int lba, boolean read, long value) {
    }

    // ---- free-running mode ---------------------------------------------------------------------------------------

    /**
     * The next request of a free-running slot, from the access pattern: a read when {@code wantRead} and the
     * block holds a completed write (or when it has a write in flight, which a read may overlap), else a write,
     * never two writes to one block at once. Null if a few picks found no block fit for either.
     */
    synchronized Pick pickFreeRunning(boolean wantRead) {
        for (int i = 0; i < 8; i++) {
            int lba = pattern.next();
            boolean written = expected.completed(lba) != ExpectedContents.NEVER;
            boolean writing = expected.writeInFlight(lba);
            if (written && (wantRead || writing)) {
                return new Pick(lba, true, expected.completed(lba));
            }
            if (!writing) {
                return startWrite(lba);
            }
        }
        return null;
    }

    // ---- dependent mode ------------------------------------------------------------------------------------------

    /** A write to the next never-written block, or null when the drive is full. */
    synchronized Pick allocateWrite() {
        return nextFree < blocks ? startWrite(nextFree++) : null;
    }

    /** A read of a block whose write completed, or null if a few random picks found none. */
    synchronized Pick pickCompleted() {
        for (int i = 0; i < 4 && nextFree > 0; i++) {
            int lba = random.nextInt(nextFree);
            if (expected.completed(lba) != ExpectedContents.NEVER) {
                return new Pick(lba, true, expected.completed(lba));
            }
        }
        return null;
    }

    // ---- expected contents ---------------------------------------------------------------------------------------

    private Pick startWrite(int lba) {
        long g = expected.nextGeneration(lba);
        expected.writeStarted(lba, g);
        return new Pick(lba, false, g);
    }

    synchronized void finishWrite(int lba, long generation, boolean ok) {
        if (ok) {
            expected.writeCompleted(lba, generation);
        } else {
            expected.writeFailed(lba, generation);
        }
    }

    /** Null if what a read found is acceptable, else why not. */
    synchronized String verify(int lba, BlockStamp.Found found, long completedAtIssue) {
        return expected.check(lba, found, completedAtIssue);
    }
}
