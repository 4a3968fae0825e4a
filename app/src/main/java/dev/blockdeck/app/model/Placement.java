package dev.blockdeck.app.model;

/**
 * The AioContext a graph vertex runs in and how we know it. QEMU has no query for it, so the UI must say
 * when a placement is only assumed.
 *
 * @param iothread the iothread object id, or {@code null} for the main loop
 * @param device   for {@link Source#DEVICE_LINK}: the device whose link decided it; otherwise {@code null}
 */
public record Placement(String iothread, Source source, String device) {

    public enum Source {
        /** The engine said so ({@code __dev.blockdeck_query-aio-contexts}). */
        REPORTED,
        /**
         * A guest device on this component has an {@code iothread} link. virtio-blk moves its BlockBackend
         * there only when the guest driver starts dataplane (virtio-scsi at plug time), so this may be ahead
         * of the truth.
         */
        DEVICE_LINK,
        /**
         * This console moved the component with {@code x-blockdev-set-iothread} (see {@link KnownMoves}); the VM
         * accepted, but cannot be asked, so a move by anyone else since is unknown.
         */
        CONSOLE_MOVE,
        /** Nothing says otherwise; an {@code x-blockdev-set-iothread} by anyone is invisible over QMP. */
        NOT_REPORTED
    }

    public static final Placement MAIN_LOOP_ASSUMED = new Placement(null, Source.NOT_REPORTED, null);

    public static Placement reported(String iothread) {
        return new Placement(iothread, Source.REPORTED, null);
    }

    public static Placement deviceLink(String iothread, String device) {
        return new Placement(iothread, Source.DEVICE_LINK, device);
    }

    public static Placement consoleMove(String iothread) {
        return new Placement(iothread, Source.CONSOLE_MOVE, null);
    }

    public Placement {
        if (source == null) {
            throw new IllegalArgumentException("source");
        }
    }

    public boolean mainLoop() {
        return iothread == null;
    }

    public boolean assumed() {
        return source != Source.REPORTED;
    }

    /** {@code "main loop"} or the iothread id. */
    public String contextName() {
        return iothread == null ? "main loop" : iothread;
    }

    /** One sentence for tooltips: where, and why we think so. */
    public String explanation() {
        return switch (source) {
            case REPORTED -> contextName() + " (reported by the engine)";
            case DEVICE_LINK -> contextName() + " — assumed from device " + device + "'s iothread link;"
                    + " virtio-blk moves there only once the guest starts dataplane, a SCSI disk when it is plugged";
            case CONSOLE_MOVE -> contextName() + " — assumed: this console moved it there with"
                    + " x-blockdev-set-iothread, which QEMU accepted but does not report";
            case NOT_REPORTED -> contextName() + " — assumed: this VM does not report AioContexts"
                    + " (an x-blockdev-set-iothread move is invisible over QMP)";
        };
    }
}
