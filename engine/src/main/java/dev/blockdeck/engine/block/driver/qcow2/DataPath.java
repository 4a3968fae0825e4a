package dev.blockdeck.engine.block.driver.qcow2;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Where a qcow2 node sends guest data that needs no metadata change: its file child and its backing. Called on the
 * node's context thread; the futures complete there too. The node binds it to its children; tests put a gate in.
 */
interface DataPath {
    /** Fills {@code dst} from host offset {@code host} of the image file. */
    CompletableFuture<Void> readFile(long host, ByteBuffer dst);

    /** Writes {@code src} at host offset {@code host} of the image file. */
    CompletableFuture<Void> writeFile(long host, ByteBuffer src);

    /** Fills {@code dst} with the backing's guest data at {@code offset}: zeros past its end or without one. */
    CompletableFuture<Void> readBacking(long offset, ByteBuffer dst);
}
