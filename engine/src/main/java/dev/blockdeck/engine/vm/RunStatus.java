package dev.blockdeck.engine.vm;

/** QEMU's {@code RunState} values, in schema order (the names are the QAPI strings). */
public enum RunStatus {
    DEBUG("debug"), INMIGRATE("inmigrate"), INTERNAL_ERROR("internal-error"), IO_ERROR("io-error"),
    PAUSED("paused"), POSTMIGRATE("postmigrate"), PRELAUNCH("prelaunch"), FINISH_MIGRATE("finish-migrate"),
    RESTORE_VM("restore-vm"), RUNNING("running"), SAVE_VM("save-vm"), SHUTDOWN("shutdown"),
    SUSPENDED("suspended"), WATCHDOG("watchdog"), GUEST_PANICKED("guest-panicked"), COLO("colo");

    private final String qapiName;

    RunStatus(String qapiName) {
        this.qapiName = qapiName;
    }

    public String qapiName() {
        return qapiName;
    }
}
