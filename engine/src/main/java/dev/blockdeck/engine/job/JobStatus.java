package dev.blockdeck.engine.job;

import java.util.Locale;

/** QEMU's JobStatus, in its QAPI order (which the transition tables index). */
public enum JobStatus {
    UNDEFINED, CREATED, RUNNING, PAUSED, READY, STANDBY, WAITING, PENDING, ABORTING, CONCLUDED, NULL;

    public String qapiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
