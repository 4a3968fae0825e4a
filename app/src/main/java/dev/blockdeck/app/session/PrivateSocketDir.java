package dev.blockdeck.app.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * A private (0700) directory with a short path for Unix sockets: paths longer than ~106 bytes cannot be
 * bound. Uses {@code $XDG_RUNTIME_DIR} when it is set and short, otherwise {@code /tmp}.
 */
public final class PrivateSocketDir implements AutoCloseable {

    /** Leaves room for {@code /bd-<random>/qmp.sock} inside the 107-byte sun_path. */
    private static final int MAX_BASE_LENGTH = 60;

    private final Path dir;

    private PrivateSocketDir(Path dir) {
        this.dir = dir;
    }

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Creates {@code <base>/bd-XXXXXXXX} (8 random characters: shorter than createTempDirectory's names). */
    public static PrivateSocketDir create() throws IOException {
        Path base = base();
        FileAttribute<Set<PosixFilePermission>> ownerOnly =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        for (int attempt = 0; ; attempt++) {
            StringBuilder name = new StringBuilder("bd-");
            for (int i = 0; i < 8; i++) {
                name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            try {
                Path dir = Files.createDirectory(base.resolve(name.toString()), ownerOnly);
                // mkdir applies the umask: make sure it is exactly 0700
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                return new PrivateSocketDir(dir);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static Path base() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && runtime.length() <= MAX_BASE_LENGTH) {
            Path p = Path.of(runtime);
            if (Files.isDirectory(p) && Files.isWritable(p)) {
                return p;
            }
        }
        return Path.of("/tmp");
    }

    public Path path() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Deletes the files in the directory, then the directory. */
    @Override
    public void close() {
        try {
            if (!Files.exists(dir)) {
                return;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    Files.deleteIfExists(entry);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
