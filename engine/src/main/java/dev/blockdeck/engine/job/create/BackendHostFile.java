package dev.blockdeck.engine.job.create;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.blockdeck.engine.block.BlockBackend;
import dev.blockdeck.engine.block.BlockIOException;
import dev.blockdeck.engine.block.driver.qcow2.HostFile;

/** A node seen through a BlockBackend as the qcow2 formatter's host file; blocking, for a job's worker thread. */
final class BackendHostFile implements HostFile {
    private final BlockBackend blk;

    BackendHostFile(BlockBackend blk) {
        this.blk = blk;
    }

    private static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlockIOException(BlockIOException.Errno.EIO, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new BlockIOException(BlockIOException.Errno.EIO, String.valueOf(e.getCause()), e.getCause());
        }
    }

    @Override
    public void read(long pos, ByteBuffer dst) throws IOException {
        await(blk.pread(pos, dst));
        dst.position(dst.limit());
    }

    @Override
    public void write(long pos, ByteBuffer src) throws IOException {
        await(blk.pwrite(pos, src, 0));
        src.position(src.limit());
    }

    @Override
    public void flush() throws IOException {
        await(blk.flush());
    }

    @Override
    public long length() throws IOException {
        return blk.root().refreshLength();
    }

    @Override
    public void truncate(long size) throws IOException {
        await(blk.truncate(size));
    }

    @Override
    public void close() {
        // the job deletes its backend on the main loop
    }
}
