package dev.blockdeck.engine.job;

import java.util.Locale;

/** QEMU's JobVerb: what a user may ask of a job. */
public enum JobVerb {
    CANCEL, PAUSE, RESUME, SET_SPEED, COMPLETE, FINALIZE, DISMISS;

    public String qapiName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
