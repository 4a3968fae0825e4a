package dev.blockdeck.engine.qom;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.engine.cli.EngineOptionParser;
import dev.blockdeck.qmp.QmpException;
import dev.blockdeck.qmp.json.QdictOrder;

/**
 * Creating and deleting the user-creatable objects of {@code /objects} (object-add, object-del and
 * {@code -object}), in QEMU's order of steps, since that order decides which error a bad request gets
 * and whether it leaves a trace in {@code /objects}' hash table.
 */
public final class UserObjects {
    private final QomTree tree;
    private final IoThreads ioThreads;
    private final Predicate<AioContext> contextInUse;

    /** {@code contextInUse} tells whether block nodes, devices or jobs still run in a context. */
    public UserObjects(QomTree tree, IoThreads ioThreads, Predicate<AioContext> contextInUse) {
        this.tree = tree;
        this.ioThreads = ioThreads;
        this.contextInUse = contextInUse;
    }

    /**
     * Adds an iothread. {@code props} holds the given properties in schema order (QEMU rebuilds them
     * that way before applying them). Steps: id check; properties set in QDict order (a range error stops
     * here, before /objects is touched); the child added (duplicates fail); completion (thread-pool
     * bounds, and a failure removes the child again, leaving a tombstone); the thread starts.
     */
    public IothreadObject addIothread(String id, ObjectNode props) {
        if (!EngineOptionParser.isIdentifier(id)) {
            throw new QmpException("Parameter 'id' expects an identifier");
        }
        IothreadObject o = new IothreadObject(new IoThread(id));
        for (Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries(props); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            o.set(e.getKey(), e.getValue());
        }
        QomContainer objects = tree.objects();
        objects.addChild(id, o);
        try {
            o.complete();
        } catch (QmpException e) {
            objects.deleteProperty(id);
            throw e;
        }
        ioThreads.add(o.thread());
        return o;
    }

    /** An object QEMU's machine creates that the engine does not model (q35's {@code pc.ram}). */
    public void addOpaque(String id, String typename) {
        tree.objects().addChild(id, new OpaqueObject(typename));
    }

    /**
     * Deletes an object. Deviation from QEMU 7.2: an iothread whose AioContext still hosts something is
     * refused (QEMU deletes it and then aborts on the context's live timers).
     */
    public void delete(String id) {
        QomContainer objects = tree.objects();
        QomObject o = objects.child(id).orElseThrow(() -> new QmpException("object '" + id + "' not found"));
        if (!(o instanceof IothreadObject io)) {
            throw new QmpException("object '" + id + "' is in use, can not be deleted");
        }
        IoThread t = io.thread();
        // a device's link keeps the thread (and what runs in it) alive, as in QEMU: only a last hold is refused
        if (!t.heldByOthers() && contextInUse.test(t.context())) {
            throw new QmpException("object '" + id + "' is in use, can not be deleted: block nodes, devices or"
                    + " jobs still run in its AioContext (move them to another iothread or the main loop first)");
        }
        objects.unparent(id);
        ioThreads.remove(t);
        t.release();
    }
}
