package dev.blockdeck.engine.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

import dev.blockdeck.engine.aio.AioContext;
import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.NodeNames;

/** Every job of the VM, newest first (QEMU's list order); status changes go out as events. Main loop. */
public final class JobRegistry {
    private final List<Job> jobs = new ArrayList<>();
    private final AioContext mainLoop;
    private final BiConsumer<String, String> statusEvents;

    /** {@code statusEvents} receives (job id, new status) for JOB_STATUS_CHANGE. */
    public JobRegistry(AioContext mainLoop, BiConsumer<String, String> statusEvents) {
        this.mainLoop = mainLoop;
        this.statusEvents = statusEvents;
    }

    public List<Job> jobs() {
        return List.copyOf(jobs);
    }

    public Optional<Job> find(String id) {
        return jobs.stream().filter(j -> j.id().equals(id)).findFirst();
    }

    /** QEMU's job_get for job-* commands. */
    public Job lookup(String id) {
        return find(id).orElseThrow(() -> new BlockException("Job not found"));
    }

    /** QEMU's job_create checks on a user-given id. */
    public void checkNewId(String id) {
        if (!NodeNames.wellFormed(id)) {
            throw new BlockException("Invalid job ID '" + id + "'");
        }
        if (find(id).isPresent()) {
            throw new BlockException("Job ID '" + id + "' already in use");
        }
    }

    /** Registers and starts a job (created, running). */
    public void start(Job j) {
        checkNewId(j.id());
        jobs.add(0, j);
        j.start();
    }

    void statusChanged(Job j) {
        statusEvents.accept(j.id(), j.status().qapiName());
    }

    void remove(Job j) {
        jobs.remove(j);
    }

    void onMainLoop(Runnable r) {
        if (mainLoop.inThread()) {
            r.run();
        } else {
            mainLoop.execute(r);
        }
    }
}
