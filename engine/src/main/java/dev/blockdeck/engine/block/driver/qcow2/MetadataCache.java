package dev.blockdeck.engine.block.driver.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A write-back cache of fixed-size metadata tables (L2 slices or refcount blocks), keyed by host offset, least
 * recently used first out. Ordering between caches follows QEMU's qcow2-cache: a cache may depend on another
 * (which is written and flushed to the host before any of this cache's entries are written) or on a host flush.
 * Not thread-safe: one image, one thread at a time.
 */
final class MetadataCache {
    static final class Entry {
        final long offset;
        final byte[] data;
        final ByteBuffer buf;
        boolean dirty;
        int refs;

        Entry(long offset, int size) {
            this.offset = offset;
            this.data = new byte[size];
            this.buf = ByteBuffer.wrap(data);
        }
    }

    private final String name;
    private final HostFile file;
    private final int entrySize;
    private final int capacity;
    private final LinkedHashMap<Long, Entry> map;
    private MetadataCache depends;
    private boolean dependsOnFlush;
    /** Called before writing an entry; may throw to refuse a write into a bad place. */
    private WriteGuard guard = (off, len) -> {
    };

    interface WriteGuard {
        void check(long offset, int length) throws IOException;
    }

    MetadataCache(String name, HostFile file, int entrySize, int capacity) {
        this.name = name;
        this.file = file;
        this.entrySize = entrySize;
        this.capacity = Math.max(1, capacity);
        this.map = new LinkedHashMap<>(Math.min(this.capacity, 4096) * 2, 0.75f, true);
    }

    void setGuard(WriteGuard g) {
        this.guard = g;
    }

    int entrySize() {
        return entrySize;
    }

    int capacity() {
        return capacity;
    }

    String name() {
        return name;
    }

    /** The entry at {@code offset}, read from the host when not cached. Release with {@link #put}. */
    Entry get(long offset) throws IOException {
        Entry e = map.get(offset);
        if (e == null) {
            e = newEntry(offset);
            file.read(offset, e.data, 0, entrySize);
        }
        e.refs++;
        return e;
    }

    /** A zero-filled entry for {@code offset} without reading it (for tables being created). */
    Entry getEmpty(long offset) throws IOException {
        Entry e = map.get(offset);
        if (e == null) {
            e = newEntry(offset);
        } else {
            java.util.Arrays.fill(e.data, (byte) 0);
        }
        e.refs++;
        return e;
    }

    /** The cached entry at {@code offset}, if any (no I/O); not referenced. */
    Entry peek(long offset) {
        return map.get(offset);
    }

    void put(Entry e) {
        e.refs--;
    }

    void markDirty(Entry e) {
        e.dirty = true;
    }

    private Entry newEntry(long offset) throws IOException {
        if (map.size() >= capacity) {
            evictOne();
        }
        Entry e = new Entry(offset, entrySize);
        map.put(offset, e);
        return e;
    }

    private void evictOne() throws IOException {
        Entry victim = null;
        for (Entry e : map.values()) {
            if (e.refs == 0) {
                victim = e;
                break;
            }
        }
        if (victim == null) {
            throw new IOException(name + " cache: every entry is in use");
        }
        if (victim.dirty) {
            writeEntry(victim);
        }
        map.remove(victim.offset);
    }

    private void writeEntry(Entry e) throws IOException {
        if (!e.dirty) {
            return;
        }
        if (depends != null) {
            flushDependency();
        } else if (dependsOnFlush) {
            file.flush();
            dependsOnFlush = false;
        }
        guard.check(e.offset, entrySize);
        file.write(e.offset, ByteBuffer.wrap(e.data, 0, entrySize));
        e.dirty = false;
    }

    /** Writes every dirty entry (after what it depends on), without a host flush. */
    void writeAll() throws IOException {
        List<Entry> dirty = new ArrayList<>();
        for (Entry e : map.values()) {
            if (e.dirty) {
                dirty.add(e);
            }
        }
        // ascending offsets: sequential host writes
        dirty.sort((a, b) -> Long.compare(a.offset, b.offset));
        for (Entry e : dirty) {
            writeEntry(e);
        }
    }

    /** Writes every dirty entry and flushes the host file. */
    void flush() throws IOException {
        writeAll();
        file.flush();
    }

    boolean hasDirty() {
        for (Entry e : map.values()) {
            if (e.dirty) {
                return true;
            }
        }
        return false;
    }

    private void flushDependency() throws IOException {
        depends.flush();
        depends = null;
        dependsOnFlush = false;
    }

    /** From now on, {@code dependency} reaches the disk before any entry of this cache. */
    void setDependency(MetadataCache dependency) throws IOException {
        if (dependency.depends != null) {
            dependency.flushDependency();
        }
        if (depends != null && depends != dependency) {
            flushDependency();
        }
        depends = dependency;
    }

    /** From now on, the host file is flushed before any entry of this cache is written. */
    void setDependsOnFlush() {
        dependsOnFlush = true;
    }

    /** Forgets the entry at {@code offset} without writing it (its cluster was freed). */
    void discard(long offset) {
        Entry e = map.get(offset);
        if (e != null) {
            e.dirty = false;
            if (e.refs == 0) {
                map.remove(offset);
            }
        }
    }

    /** Drops every clean, unreferenced entry (QEMU's cache-clean-interval). */
    void cleanUnused() {
        for (Iterator<Map.Entry<Long, Entry>> it = map.entrySet().iterator(); it.hasNext();) {
            Entry e = it.next().getValue();
            if (!e.dirty && e.refs == 0) {
                it.remove();
            }
        }
    }

    /** Forgets everything (after an error or a metadata rebuild). */
    void invalidateAll() {
        map.clear();
        depends = null;
        dependsOnFlush = false;
    }

    int size() {
        return map.size();
    }
}
