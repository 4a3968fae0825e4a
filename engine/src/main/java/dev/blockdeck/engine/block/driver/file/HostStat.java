package dev.blockdeck.engine.block.driver.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The bytes a file occupies on disk ({@code st_blocks * 512}, QEMU's {@code actual-size}). The JDK exposes no
 * {@code st_blocks}, so this asks {@code stat(1)}; callers cache the answer per file size and times.
 */
final class HostStat {
    private HostStat() {
    }

    static long allocatedBytes(Path file) throws IOException {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", "--", file.toString()).redirectErrorStream(true)
                .start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("stat failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String[] parts = out.split("\\s+");
        try {
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        } catch (RuntimeException e) {
            throw new IOException("unexpected stat output: " + out, e);
        }
    }
}
