package dev.blockdeck.engine.guest;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockBackend;

/**
 * Where a workload's requests to one drive go: straight to a BlockBackend ({@link #of}), or into a guest device's
 * request queue, which hands them to the device's backend from the device's AioContext. Requests may be issued from
 * any thread; their futures complete on the backend's context thread.
 */
public interface GuestDisk {
    /** The backend the requests end up on (permissions, size, accounting). */
    BlockBackend backend();

    /**
     * Whether the workload takes write permission on the backend itself (a bare drive); a device already holds
     * what it needs for the guest.
     */
    boolean takesPermissions();

    /** Whether a guest may write (a device on a read-only drive may not). */
    default boolean writable() {
        return true;
    }

    /** Where the requests are handled: the device's context, which is always its backend's. */
    default AioContext context() {
        return backend().aioContext();
    }

    CompletableFuture<Void> read(long offset, ByteBuffer buf);

    CompletableFuture<Void> write(long offset, ByteBuffer buf);

    CompletableFuture<Void> flush();

    /** A bare drive: requests go to the backend directly. */
    static GuestDisk of(BlockBackend blk) {
        return new GuestDisk() {
            @Override
            public BlockBackend backend() {
                return blk;
            }

            @Override
            public boolean takesPermissions() {
                return true;
            }

            @Override
            public CompletableFuture<Void> read(long offset, ByteBuffer buf) {
                return blk.pread(offset, buf);
            }

            @Override
            public CompletableFuture<Void> write(long offset, ByteBuffer buf) {
                return blk.pwrite(offset, buf, 0);
            }

            @Override
            public CompletableFuture<Void> flush() {
                return blk.flush();
            }
        };
    }
}
