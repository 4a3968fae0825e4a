package dev.blockdeck.engine.job;

import dev.blockdeck.engine.block.BlockException;

/**
 * A job (QEMU's Job): an id, a type, a status that moves only as {@link JobTables} allows (each move is a
 * JOB_STATUS_CHANGE event), progress, and the verbs users may apply. Status changes happen on the main loop; the
 * work itself runs wherever the subclass puts it and reports back with {@link #workDone}.
 */
public abstract class Job {
    protected final JobRegistry registry;
    private final String id;
    private final String type;
    private JobStatus status = JobStatus.UNDEFINED;
    private volatile long progressCurrent;
    private volatile long progressTotal;
    private String error;
    private boolean cancelled;
    private boolean userPaused;
    private final boolean autoFinalize;
    private final boolean autoDismiss;

    protected Job(JobRegistry registry, String id, String type, boolean autoFinalize, boolean autoDismiss) {
        this.registry = registry;
        this.id = id;
        this.type = type;
        this.autoFinalize = autoFinalize;
        this.autoDismiss = autoDismiss;
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    public JobStatus status() {
        return status;
    }

    public long progressCurrent() {
        return progressCurrent;
    }

    public long progressTotal() {
        return progressTotal;
    }

    public String error() {
        return error;
    }

    protected void setProgress(long current, long total) {
        progressCurrent = current;
        progressTotal = total;
    }

    protected boolean cancelRequested() {
        return cancelled;
    }

    void move(JobStatus to) {
        if (!JobTables.mayMove(status, to)) {
            throw new IllegalStateException("job " + id + ": " + status + " -> " + to + " is not a transition");
        }
        status = to;
        registry.statusChanged(this);
    }

    /** QEMU's job_apply_verb: refuses a verb the current status does not take. */
    void checkVerb(JobVerb v) {
        if (!JobTables.accepts(status, v)) {
            throw new BlockException("Job '" + id + "' in state '" + status.qapiName()
                    + "' cannot accept command verb '" + v.qapiName() + "'");
        }
    }

    /** created → running, then {@link #begin}. Main loop. */
    void start() {
        move(JobStatus.CREATED);
        move(JobStatus.RUNNING);
        begin();
    }

    /** Starts the work; it ends with exactly one {@link #workDone} (on any thread). */
    protected abstract void begin();

    /** Called once when the work ends; {@code failure} null on success. Hops to the main loop. */
    protected final void workDone(Throwable failure) {
        registry.onMainLoop(() -> finish(failure));
    }

    private void finish(Throwable failure) {
        if (failure == null && !cancelled) {
            move(JobStatus.WAITING);
            move(JobStatus.PENDING);
            if (autoFinalize) {
                finalizeJob();
            }
            return;
        }
        error = failure == null ? "Operation canceled" : message(failure);
        move(JobStatus.ABORTING);
        aborted();
        conclude();
    }

    private static String message(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /** job-finalize (or auto-finalize): the graph changes of a successful job, then conclude. */
    void finalizeJob() {
        committed();
        conclude();
    }

    private void conclude() {
        move(JobStatus.CONCLUDED);
        cleaned();
        if (autoDismiss) {
            dismiss();
        }
    }

    void dismiss() {
        move(JobStatus.NULL);
        registry.remove(this);
    }

    void cancel() {
        checkVerb(JobVerb.CANCEL);
        cancelled = true;
        userPaused = false;
    }

    void pause() {
        checkVerb(JobVerb.PAUSE);
        if (userPaused) {
            throw new BlockException("Job is already paused");
        }
        userPaused = true;
    }

    void resume() {
        if (!userPaused) {
            throw new BlockException("Can't resume a job that was not paused");
        }
        checkVerb(JobVerb.RESUME);
        userPaused = false;
    }

    /** Successful end: apply graph changes. Main loop. */
    protected void committed() {
    }

    /** Failed or cancelled end: undo. Main loop. */
    protected void aborted() {
    }

    /** After commit or abort: release what the job held. Main loop. */
    protected void cleaned() {
    }
}
