package dev.blockdeck.engine.guest;

import java.util.Optional;

/**
 * Finds the guest device a workload's drive name means: a device id, or a drive attached to a device (main loop).
 * Empty when the name is no such thing (the workload then looks for a bare drive of that name).
 */
@FunctionalInterface
public interface GuestDiskLookup {
    GuestDiskLookup NONE = name -> Optional.empty();

    Optional<GuestDisk> find(String name);
}
