package dev.blockdeck.engine.block.driver;

/** QEMU's BlockDriverInfo as far as queries show it ({@code cluster-size}, {@code dirty-flag}). */
public record DriverInfo(long clusterSize, boolean dirty) {
    public static final DriverInfo EMPTY = new DriverInfo(0, false);
}
