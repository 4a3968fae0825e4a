/**
 * Guest devices: {@code virtio-blk-pci} (with its {@code virtio-blk-device}) and the {@code pcie-root-port} that
 * takes hot-plugged devices, on QEMU 7.2's q35 machine ({@code -M none} has no PCI bus, as in QEMU).
 *
 * <h2>QMP and command line ({@link dev.blockdeck.engine.device.DeviceCommands})</h2>
 * {@code -device} and device_add check and fail as QEMU does (driver, bus, hotplug, id, properties in QDict order,
 * realize); device_del and {@code DEVICE_DELETED}; {@code /machine/peripheral/ID} (or {@code peripheral-anon}) with
 * QEMU's property list, the {@code iothread} link ({@code /objects/ID}), qom-set's refusals; query-block's
 * {@code qdev}. The engine implements {@code drive}, {@code iothread} and {@code share-rw}; other properties QEMU has
 * are refused by name.
 *
 * <h2>The device and the block layer ({@link dev.blockdeck.engine.device.VirtioBlkPci})</h2>
 * The device attaches to a {@code -drive}'s BlockBackend or to an anonymous one it creates on a node, takes
 * virtio-blk's permissions (consistent read and write, sharing consistent read, unchanged writes and resize, and
 * writes with {@code share-rw}), and implements the backend's device hooks: a drained section pauses its request
 * queue ({@link dev.blockdeck.engine.device.VirtioBlkQueue}), a context move points the queue's handler at the new
 * thread. While the VM runs, a device with an iothread has its queue, its backend and the backend's whole node
 * component in that iothread (QEMU's dataplane); otherwise in the main loop. Unplug drains, detaches and deletes the
 * backend (a {@code -drive} goes with its device, as in QEMU).
 *
 * <h2>Downstream extension</h2>
 * {@code __dev.blockdeck_device-set-iothread {id, iothread: str|null}} moves a device live: the iothread link changes
 * and, while the VM runs, queue, backend and component move together in one drained context change, even with
 * guest requests in flight (they wait on the queue or in the backend and go on in the new context). Guest workloads
 * ({@code dev.blockdeck.engine.guest}) take device ids and put their requests on the device's queue.
 *
 * <h2>Deliberate differences from QEMU 7.2</h2>
 * <ul>
 * <li>QEMU aborts when a virtio-blk device is added to a drive whose node is not in the main loop; the engine
 * refuses.</li>
 * <li>The synthetic guest drives every device while the VM runs (QEMU's firmware starts only the devices present at
 * boot) and answers unplug requests while it runs (QEMU, without a guest OS, leaves them pending).</li>
 * <li>Geometry ({@code cyls}) comes from the size only (QEMU also reads a partition table); a root port's property
 * order is QEMU's for the recorded id {@code rp0} only; changing {@code drive} of a realized device is refused.</li>
 * </ul>
 */
package dev.blockdeck.engine.device;
