package dev.blockdeck.engine.aio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The calling thread's Linux thread id, read from /proc/thread-self (a link to PID/task/TID). */
final class NativeThreadId {
    private NativeThreadId() {
    }

    static long current() {
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Long.parseLong(target.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux: QEMU would report its own notion of a thread id here
        }
    }
}
