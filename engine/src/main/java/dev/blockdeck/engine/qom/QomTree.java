package dev.blockdeck.engine.qom;

import java.util.Optional;

import dev.blockdeck.engine.aio.IoThread;

/**
 * The QOM composition tree: the root and {@code /objects} (modelled), plus the skeleton of what QEMU
 * also has ({@code /machine} with its {@code peripheral}, {@code peripheral-anon} and {@code unattached}
 * containers, and {@code /chardevs}), present so that the root lists them and paths resolve as in QEMU,
 * but answering "not found" when inspected. Touched from the main loop only.
 */
public final class QomTree {
    private final QomContainer root = new QomContainer("/", "container", true);
    private final QomContainer machine;
    private QomContainer objects;

    /** {@code machine} is the engine's machine type ({@code none} or {@code q35}); QEMU creates it first. */
    public QomTree(String machine) {
        this.machine = new QomContainer("/machine", machine.equals("q35") ? "pc-q35-7.2-machine" : "none-machine",
                false);
        root.addChild("machine", this.machine);
        for (String c : new String[] {"peripheral-anon", "peripheral", "unattached"}) {
            this.machine.addChild(c, new QomContainer(this.machine.childPath(c), "container", false));
        }
        root.addChild("chardevs", new QomContainer("/chardevs", "container", false));
    }

    /**
     * {@code /objects}, created on first use: QEMU creates it only when something asks for it
     * (object-add reaching its child, object-del, query-iothreads), and until then paths under it are
     * not found.
     */
    public QomContainer objects() {
        if (objects == null) {
            objects = new QomContainer("/objects", "container", true);
            root.addChild("objects", objects);
        }
        return objects;
    }

    public Optional<QomContainer> objectsIfCreated() {
        return Optional.ofNullable(objects);
    }

    /** {@code /machine}, where the device work hangs {@code peripheral/ID} objects. */
    public QomContainer machine() {
        return machine;
    }

    /** Any object, as qom-list, qom-get and qom-set resolve their path. */
    public QomPaths.Resolution resolve(String path) {
        return QomPaths.resolve(root, path, o -> true);
    }

    /** An iothread, as QEMU resolves an iothread id (a plain id, or any QOM path to it). */
    public Optional<IoThread> findIothread(String path) {
        QomObject o = QomPaths.resolve(root, path, IothreadObject.class::isInstance).object();
        return Optional.ofNullable(o).map(x -> ((IothreadObject) x).thread());
    }
}
