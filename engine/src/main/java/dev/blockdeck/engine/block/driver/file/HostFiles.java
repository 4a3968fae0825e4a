package dev.blockdeck.engine.block.driver.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.blockdeck.engine.block.BlockException;

/**
 * The host files this process has open, one entry per inode, and QEMU's image locking on them.
 *
 * <p>QEMU locks single bytes with Linux OFD locks: byte 100+p for each permission p a node takes, 200+p for each
 * it does not share, all as shared (read) locks, and tests for a conflicting user with a write-lock probe. The JVM
 * can only take POSIX record locks, which the kernel makes conflict with OFD locks both ways, so the bytes are the
 * same and QEMU and qemu-io see our locks and we see theirs. Two things differ and are handled here:
 * <ul>
 * <li>POSIX locks belong to the process: two of our nodes on one file don't see each other in the kernel, so the
 * owners of every byte are tracked here and checked first;</li>
 * <li>closing any descriptor of a file drops all of the process's POSIX locks on it: so every channel of an inode
 * stays open until the last node using that inode is closed, and one channel per inode takes all locks.</li>
 * </ul>
 * Testing a byte we hold ourselves means releasing our lock for a moment, probing, and taking it again; a QEMU
 * probing that very byte in the same microseconds could then see our probe. The entry points are synchronized:
 * locking happens on the main loop, closing from wherever a node closes.
 */
final class HostFiles {
    private static final Map<Object, Entry> ENTRIES = new HashMap<>();

    private HostFiles() {
    }

    /** Registers a user of the inode {@code key} (opened at {@code path}); pair with {@link Entry#release}. */
    static synchronized Entry acquire(Object key, Path path) {
        Entry e = ENTRIES.computeIfAbsent(key, k -> new Entry(k, path));
        e.users++;
        return e;
    }

    /** One inode: its channels, its lock channel and who holds which lock byte. */
    static final class Entry {
        private final Object key;
        private final Path path;
        private int users;
        private FileChannel lockChannel;
        private boolean lockChannelWritable;
        private final List<FileChannel> retired = new ArrayList<>();
        private final Map<Integer, FileLock> held = new HashMap<>();
        private final Map<Integer, Set<Object>> holders = new HashMap<>();

        private Entry(Object key, Path path) {
            this.key = key;
            this.path = path;
        }

        private FileChannel lockChannel() throws IOException {
            if (lockChannel == null) {
                try {
                    lockChannel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    lockChannelWritable = true;
                } catch (IOException e) {
                    lockChannel = FileChannel.open(path, StandardOpenOption.READ);
                    lockChannelWritable = false;
                }
            }
            return lockChannel;
        }

        /** Takes byte {@code off} for {@code owner} (a shared lock; QEMU's qemu_lock_fd). */
        void lock(Object owner, int off) {
            synchronized (HostFiles.class) {
                Set<Object> h = holders.computeIfAbsent(off, k -> new HashSet<>());
                if (h.isEmpty()) {
                    FileLock l;
                    try {
                        l = lockChannel().tryLock(off, 1, true);
                    } catch (IOException | OverlappingFileLockException e) {
                        throw new BlockException("Failed to lock byte " + off + ": " + e.getMessage());
                    }
                    if (l == null) {
                        throw new BlockException("Failed to lock byte " + off);
                    }
                    held.put(off, l);
                }
                h.add(owner);
            }
        }

        /** Releases {@code owner}'s hold on byte {@code off}; the kernel lock goes with the last holder. */
        void unlock(Object owner, int off) {
            synchronized (HostFiles.class) {
                Set<Object> h = holders.get(off);
                if (h == null || !h.remove(owner)) {
                    return;
                }
                if (h.isEmpty()) {
                    holders.remove(off);
                    FileLock l = held.remove(off);
                    if (l != null) {
                        try {
                            l.release();
                        } catch (IOException ignored) {
                            // the channel is gone: so is the lock
                        }
                    }
                }
            }
        }

        /**
         * Whether someone other than {@code owner} holds byte {@code off}: another of our nodes, or another
         * process (QEMU's qemu_lock_fd_test with a write lock).
         */
        boolean lockedByOthers(Object owner, int off) {
            synchronized (HostFiles.class) {
                Set<Object> h = holders.get(off);
                if (h != null) {
                    for (Object o : h) {
                        if (o != owner) {
                            return true;
                        }
                    }
                }
                FileChannel ch;
                try {
                    ch = lockChannel();
                } catch (IOException e) {
                    return false;
                }
                if (!lockChannelWritable) {
                    return false; // a write-lock probe needs a writable descriptor in Java
                }
                FileLock mine = held.get(off);
                try {
                    if (mine != null) {
                        mine.release();
                    }
                    FileLock probe = ch.tryLock(off, 1, false);
                    if (probe == null) {
                        return true;
                    }
                    probe.release();
                    return false;
                } catch (IOException | NonWritableChannelException | OverlappingFileLockException e) {
                    return false;
                } finally {
                    if (mine != null) {
                        try {
                            FileLock again = ch.tryLock(off, 1, true);
                            if (again != null) {
                                held.put(off, again);
                            } else {
                                held.remove(off);
                            }
                        } catch (IOException | OverlappingFileLockException e) {
                            held.remove(off);
                        }
                    }
                }
            }
        }

        /** Keeps {@code c} open until the inode's last user is gone (a replaced descriptor of a user). */
        void adopt(FileChannel c) {
            synchronized (HostFiles.class) {
                retired.add(c);
            }
        }

        /**
         * A user is done: its locks were released already; its data channel is closed now if it was the last
         * user of the inode, else kept open until then (closing it would drop the other users' locks).
         */
        void release(FileChannel data) {
            synchronized (HostFiles.class) {
                if (data != null) {
                    retired.add(data);
                }
                if (--users > 0) {
                    return;
                }
                ENTRIES.remove(key, this);
                for (FileChannel c : retired) {
                    closeQuietly(c);
                }
                retired.clear();
                if (lockChannel != null) {
                    closeQuietly(lockChannel);
                    lockChannel = null;
                }
                held.clear();
                holders.clear();
            }
        }

        private static void closeQuietly(FileChannel c) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }
}
