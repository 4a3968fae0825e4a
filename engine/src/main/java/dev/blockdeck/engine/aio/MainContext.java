package dev.blockdeck.engine.aio;

/**
 * The main loop: the thread that runs every QMP command, one at a time, and the I/O of everything in
 * the main context. Commands may wait for I/O (see {@link AioWait}) without ever running another command.
 */
public final class MainContext {
    public static final String NAME = "main-loop";

    private final EventLoop loop = new EventLoop("main-loop");
    private final AioContext context = new AioContext(NAME, loop);

    public MainContext() {
        loop.start();
    }

    public AioContext context() {
        return context;
    }

    /** Queues a QMP command (or other main-loop work that must not nest inside a command). */
    public void executeCommand(Runnable task) {
        loop.executeCommand(task);
    }

    public boolean inMainLoop() {
        return loop.inThread();
    }

    public void stop() {
        loop.stop();
    }
}
