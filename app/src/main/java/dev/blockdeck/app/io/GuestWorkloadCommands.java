package dev.blockdeck.app.io;

/**
 * The engine's downstream commands for its synthetic guest (QEMU has none of them: a session that does not list
 * {@link #START} in {@code query-commands} cannot run workloads).
 */
public final class GuestWorkloadCommands {

    public static final String START = "__dev.blockdeck_guest-workload-start";
    public static final String STOP = "__dev.blockdeck_guest-workload-stop";
    public static final String QUERY = "__dev.blockdeck_query-guest-workloads";

    private GuestWorkloadCommands() {
    }
}
