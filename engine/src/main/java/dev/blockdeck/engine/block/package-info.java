/**
 * The block layer: QEMU 7.2's graph of nodes ({@link dev.blockdeck.engine.block.BlockNode}), edges with
 * permissions ({@link dev.blockdeck.engine.block.BdrvChild}) and BlockBackends
 * ({@link dev.blockdeck.engine.block.BlockBackend}), owned by {@link dev.blockdeck.engine.block.BlockGraph}.
 *
 * <h2>Threads</h2>
 * The graph changes only on the main loop. Every node and backend belongs to one AioContext (a connected
 * component is always in one); its requests are issued and completed on that context's thread. Blocking file I/O
 * runs on {@link dev.blockdeck.engine.block.IoWorkers} and completes back in the context; timers fire there through
 * {@link dev.blockdeck.engine.block.BlockTimers}.
 *
 * <h2>For devices and workloads</h2>
 * <ul>
 * <li>A backend for a device: {@code graph.findBackend(id)} (a {@code -drive}) or {@code graph.newBackend(ctx, perm,
 * shared)} + {@code graph.insert(blk, node)}; then {@code graph.attachDevice(blk, device)} and
 * {@code graph.setBackendPerm(blk, CR|W, CR|WU|RESIZE)} (what virtio-blk takes). {@code detachDevice},
 * {@code deleteBackend} undo it.</li>
 * <li>I/O: {@code blk.pread/pwrite/pwriteZeroes/pdiscard/flush} from any thread; the futures complete on the
 * backend's context thread; accounting feeds query-blockstats.</li>
 * <li>Drain: {@code graph.drainedBegin(node)}/{@code drainedEnd(node)} (nesting), {@code graph.drainBackend(blk)};
 * backends queue requests while drained; {@link dev.blockdeck.engine.block.BlockDevice#drainedBegin} tells the
 * device.</li>
 * <li>Moving: {@code graph.changeBackendContext(blk, ctx)} moves the device's backend and its component (the
 * device's {@link dev.blockdeck.engine.block.BlockDevice#contextChanged} runs in the commit phase, everything
 * drained); {@code graph.changeContext(node, ctx, null)} is x-blockdev-set-iothread's move, which a device refuses
 * unless {@link dev.blockdeck.engine.block.BlockDevice#allowsContextChange} says yes.</li>
 * </ul>
 */
package dev.blockdeck.engine.block;
