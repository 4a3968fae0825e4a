package dev.blockdeck.engine.qom;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.engine.monitor.qapi.QapiSchema;

/**
 * The engine's QOM: the {@code /objects} tree with its iothreads, its QMP commands, and the
 * {@code -object} options at start. {@link IoThreads#find} resolves ids through this tree.
 */
public final class Qom {
    private final QomTree tree;
    private final UserObjects objects;
    private final String machine;

    private Qom(QomTree tree, UserObjects objects, String machine) {
        this.tree = tree;
        this.objects = objects;
        this.machine = machine;
    }

    /**
     * Builds the tree and registers object-add, object-del, query-iothreads, qom-list, qom-get and
     * qom-set. {@code contextInUse} answers whether anything still runs in an AioContext (object-del
     * refuses to delete such an iothread).
     */
    public static Qom register(QapiSchema schema, IoThreads ioThreads, Predicate<AioContext> contextInUse,
                               String machine) {
        QomTree tree = new QomTree(machine);
        UserObjects objects = new UserObjects(tree, ioThreads, contextInUse);
        ioThreads.resolveWith(tree::findIothread);
        ObjectCommands.register(schema, tree, objects);
        QomCommands.register(schema, tree);
        return new Qom(tree, objects, machine);
    }

    public QomTree tree() {
        return tree;
    }

    /**
     * Start-up, before any monitor listens: the {@code -object} options, then what the machine itself
     * puts into /objects (q35's RAM backend, created by QEMU's board init after the early objects).
     */
    public void createAtStart(String program, List<Map<String, String>> objectOptions) throws EngineStartException {
        new CommandLineObjects(program, objects).create(objectOptions);
        if (machine.equals("q35")) {
            objects.addOpaque("pc.ram", "memory-backend-ram");
        }
    }
}
