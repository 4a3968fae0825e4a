package dev.blockdeck.testutil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.engine.EngineStartException;

/** An in-process engine with one QMP Unix socket in a private short directory, for tests. */
public final class EngineProcess implements AutoCloseable {
    private final Engine engine;
    private final Path dir;
    private final Path socket;

    private EngineProcess(Engine engine, Path dir, Path socket) {
        this.engine = engine;
        this.dir = dir;
        this.socket = socket;
    }

    /** Starts {@code -M none -nodefaults -display none -qmp unix:...} plus {@code extraArgs}. */
    public static EngineProcess start(String... extraArgs) throws EngineStartException {
        Path dir = ShortTempDir.create("bde");
        Path socket = dir.resolve("qmp.sock");
        List<String> args = new ArrayList<>(List.of("-M", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        args.addAll(List.of(extraArgs));
        return new EngineProcess(Engine.start(args), dir, socket);
    }

    public Path socket() {
        return socket;
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        engine.close();
        ShortTempDir.delete(dir);
    }
}
