package dev.blockdeck.engine.qom;

import java.util.Optional;

import dev.blockdeck.engine.aio.IoThread;

/**
 * The QOM composition tree: the root, {@code /objects} and the device containers {@code /machine/peripheral}
 * and {@code /machine/peripheral-anon} (modelled), plus the skeleton of what QEMU also has ({@code /machine}
 * itself, {@code /machine/unattached}, {@code /chardevs}), present so that the root lists them and paths resolve as
 * in QEMU, but answering "not found" when inspected. Touched from the main loop only.
 */
public final class QomTree {
    private final QomContainer root = new QomContainer("/", "container", true);
    private final QomContainer machine;
    private final QomContainer peripheral;
    private final QomContainer peripheralAnon;
    private QomContainer objects;

    /** {@code machine} is the engine's machine type ({@code none} or {@code q35}); QEMU creates it first. */
    public QomTree(String machine) {
        this.machine = new QomContainer("/machine", machine.equals("q35") ? "pc-q35-7.2-machine" : "none-machine",
                false);
        root.addChild("machine", this.machine);
        // the device containers are modelled: qom-list shows the devices the engine has
        peripheralAnon = new QomContainer(this.machine.childPath("peripheral-anon"), "container", true);
        peripheral = new QomContainer(this.machine.childPath("peripheral"), "container", true);
        this.machine.addChild("peripheral-anon", peripheralAnon);
        this.machine.addChild("peripheral", peripheral);
        this.machine.addChild("unattached", new QomContainer(this.machine.childPath("unattached"), "container",
                false));
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

    /** {@code /machine}. */
    public QomContainer machine() {
        return machine;
    }

    /** {@code /machine/peripheral}: devices with an id. */
    public QomContainer peripheral() {
        return peripheral;
    }

    /** {@code /machine/peripheral-anon}: devices without one ({@code device[N]}). */
    public QomContainer peripheralAnon() {
        return peripheralAnon;
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
