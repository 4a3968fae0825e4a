package dev.blockdeck.engine.block.driver.qcow2;

/**
 * QEMU 7.2's sizing of the L2 and refcount-block caches from the {@code cache-size}, {@code l2-cache-size},
 * {@code refcount-cache-size} and {@code l2-cache-entry-size} options (null = not set).
 *
 * @param l2Entries       number of L2 cache entries
 * @param l2EntrySize     bytes per L2 cache entry (a slice of an L2 table)
 * @param refcountEntries number of refcount-block cache entries (one cluster each)
 */
public record CacheSizes(int l2Entries, int l2EntrySize, int refcountEntries) {
    /** QEMU's DEFAULT_L2_CACHE_MAX_SIZE on Linux. */
    public static final long DEFAULT_L2_CACHE_MAX = 32L << 20;
    static final int MIN_L2_CACHE = 2;
    static final int MIN_REFCOUNT_CACHE = 4;

    public static CacheSizes compute(long virtualSize, int clusterSize, boolean extendedL2, Long cacheSize,
            Long l2CacheSize, Long refcountCacheSize, Long l2CacheEntrySize) throws Qcow2Exception {
        long minRefcountCache = (long) MIN_REFCOUNT_CACHE * clusterSize;
        long l2EntryBytes = extendedL2 ? 16 : 8;
        long maxL2Entries = (virtualSize + clusterSize - 1) / clusterSize;
        long maxL2Cache = (maxL2Entries * l2EntryBytes + clusterSize - 1) / clusterSize * clusterSize;
        long l2Max = l2CacheSize != null ? l2CacheSize : DEFAULT_L2_CACHE_MAX;
        long refcount = refcountCacheSize != null ? refcountCacheSize : 0;
        long entrySize = l2CacheEntrySize != null ? l2CacheEntrySize : clusterSize;
        long l2 = Math.min(maxL2Cache, l2Max);
        if (cacheSize != null) {
            long combined = cacheSize;
            if (l2CacheSize != null && refcountCacheSize != null) {
                throw new Qcow2Exception("cache-size, l2-cache-size and refcount-cache-size may not be set at the same time");
            } else if (l2CacheSize != null && l2Max > combined) {
                throw new Qcow2Exception("l2-cache-size may not exceed cache-size");
            } else if (refcount > combined) {
                throw new Qcow2Exception("refcount-cache-size may not exceed cache-size");
            }
            if (l2CacheSize != null) {
                refcount = combined - l2;
            } else if (refcountCacheSize != null) {
                l2 = combined - refcount;
            } else if (combined >= maxL2Cache + minRefcountCache) {
                l2 = maxL2Cache;
                refcount = combined - l2;
            } else {
                refcount = Math.min(combined, minRefcountCache);
                l2 = combined - refcount;
            }
        }
        if (l2 < maxL2Cache && l2CacheEntrySize == null) {
            entrySize = Math.min(clusterSize, 4096);
        }
        if (entrySize < 512 || entrySize > clusterSize || Long.bitCount(entrySize) != 1) {
            throw new Qcow2Exception("L2 cache entry size must be a power of two between 512 and the cluster size ("
                    + clusterSize + ")");
        }
        long l2n = Math.max(MIN_L2_CACHE, l2 / entrySize);
        if (l2n > Integer.MAX_VALUE) {
            throw new Qcow2Exception("L2 cache size too big");
        }
        long rcn = Math.max(MIN_REFCOUNT_CACHE, refcount / clusterSize);
        if (rcn > Integer.MAX_VALUE) {
            throw new Qcow2Exception("Refcount cache size too big");
        }
        return new CacheSizes((int) l2n, (int) entrySize, (int) rcn);
    }
}
