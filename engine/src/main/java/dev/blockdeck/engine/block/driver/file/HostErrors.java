package dev.blockdeck.engine.block.driver.file;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** What strerror would say for the errno behind a Java I/O exception (QEMU's messages quote it). */
public final class HostErrors {
    private HostErrors() {
    }

    public static String text(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return m == null ? "Input/output error" : m;
    }
}
