/**
 * The synthetic guest: verified I/O workloads on guest devices ({@code -device virtio-blk-pci,id=X}: the requests go
 * into the device's queue and are handled in the device's AioContext) and on bare {@code -drive ...,if=none,id=X}
 * backends, driven by downstream QMP commands, and an offline checker for the images they leave.
 *
 * <h2>QMP ({@link dev.blockdeck.engine.guest.GuestCommands})</h2>
 * <ul>
 * <li>{@code __dev.blockdeck_guest-workload-start {id, drives: [device ids or drive names], block-size? (4096),
 * pattern? (sequential|random), rate? (ops/s over the whole workload, 0 = unlimited), queue-depth? (1, per
 * drive), read-percent? (50), dependent? (false), writers? (1, dependent only)}} → {@code {}}. A drive a device uses
 * (named by the device's id or the drive's) is driven through the device; on a bare drive the workload takes write
 * permission as virtio-blk does; it fails with QEMU-style errors for an unknown drive
 * ({@code DeviceNotFound}), a drive without medium, a read-only drive, a drive another workload uses, or a value
 * out of range.</li>
 * <li>{@code __dev.blockdeck_guest-workload-stop {id}}: no new requests, waits for those in flight, flushes the
 * drives, gives the permissions back, forgets the id; returns the final counters.</li>
 * <li>{@code __dev.blockdeck_query-guest-workloads} → {@code [{id, drives, ops, reads, writes, errors,
 * verify-failures, bytes-read, bytes-written, running, error?}]}. {@code ops = reads + writes + errors};
 * {@code error} is the first problem seen (an I/O error, a failed verification, a full drive);
 * {@code running} turns false when a workload ended by itself (it stays listed until stopped).</li>
 * </ul>
 *
 * <h2>What is written and checked</h2>
 * Every write fills one block with a {@link dev.blockdeck.engine.guest.BlockStamp} (block number, generation,
 * sequence, writer) and every read is verified against {@link dev.blockdeck.engine.guest.ExpectedContents}: a block
 * must hold a generation from the one complete when the read was issued up to the newest started since. Reads go
 * only to blocks the workload itself wrote, so a drive may start with anything on it.
 * <ul>
 * <li><b>Free-running</b> (default): {@code queue-depth} slots per drive, reads and writes where the pattern says,
 * never two writes to one block at once. Writes carry a workload-wide sequence and the slot as writer.</li>
 * <li><b>Dependent</b> ({@code "dependent": true}): {@code writers} causal chains. Writer w's k-th write (sequence
 * k, from 1) is issued only after its (k-1)-th completed, on drive (w + k - 1) mod n, to a block never written
 * before (each drive fills from block 0 up). So in any consistent cut the writes of writer w present are exactly
 * 1..m. When a drive is full, or a write fails, that chain ends and {@code error} says why. Use fresh drives: the
 * chains do not know what an earlier workload left.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Each request is issued and completed on its drive's AioContext thread; the next request of a stream is queued to
 * the drive's context of that moment, so drives can move between IOThreads ({@code x-blockdev-set-iothread
 * force=true}, or a drained graph change) while the workload runs: their requests wait in the backend's queue during
 * the drain and go on in the new context. A completion seen off its drive's context is reported in {@code error}.
 *
 * <h2>Consistent cuts ({@link dev.blockdeck.engine.guest.CutChecker})</h2>
 * A snapshot set is, per drive, the chain of image files frozen at one moment. With a dependent workload running,
 * take sets with one {@code transaction} (e.g. a {@code blockdev-snapshot-sync} per drive), stop the workload, then
 * check every set; the checker grows its set layer by layer, so many sets stay cheap:
 * <pre>{@code
 * q: __dev.blockdeck_guest-workload-start {"id": "cut", "drives": ["da", "db"], "dependent": true, "writers": 3}
 * q: transaction {"actions": [snapshot-sync da -> a1.qcow2, snapshot-sync db -> b1.qcow2]}   (repeat: a2/b2, ...)
 * q: __dev.blockdeck_guest-workload-stop {"id": "cut"}          (then quit, or at least stop, before reading)
 *
 * try (CutChecker c = new CutChecker(4096)) {                   // the workload's block-size
 *     for (int k = 0; k <= sets; k++) {                         // set k+1 = base .. layer k
 *         c.addLayer("da", chainA.get(k));                      // a0.qcow2 (base), a1.qcow2, ...
 *         c.addLayer("db", chainB.get(k));
 *         CutChecker.Report r = c.check();                      // r.consistent(), r.violations(), r.describe()
 *     }
 * }
 * }</pre>
 * The last set (whole chains, after stop) holds every completed write: its {@code stamps()} equals the workload's
 * final {@code writes}. {@link dev.blockdeck.engine.guest.CutChecker#checkChains} checks one set given whole.
 */
package dev.blockdeck.engine.guest;
