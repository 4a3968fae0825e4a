package dev.blockdeck.engine.qom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.aio.IoThread;
import dev.blockdeck.engine.aio.IoThreads;
import dev.blockdeck.qmp.QmpException;

/** Deleting iothreads: the engine's refusal where QEMU 7.2 aborts, and holders that keep a thread alive. */
class UserObjectsTest {
    private final IoThreads ioThreads = new IoThreads();
    private final QomTree tree = new QomTree("none");
    private final AtomicBoolean inUse = new AtomicBoolean();
    private final UserObjects objects = new UserObjects(tree, ioThreads, ctx -> inUse.get());

    @AfterEach
    void stopThreads() {
        ioThreads.stopAll();
    }

    private IoThread add(String id) {
        return objects.addIothread(id, JsonNodeFactory.instance.objectNode()).thread();
    }

    @Test
    void anIothreadWhoseContextHostsSomethingIsNotDeleted() {
        IoThread t = add("io1");
        inUse.set(true);
        assertThatThrownBy(() -> objects.delete("io1")).isInstanceOf(QmpException.class)
                .hasMessage("object 'io1' is in use, can not be deleted: block nodes, devices or jobs still run in"
                        + " its AioContext (move them to another iothread or the main loop first)");
        assertThat(t.isAlive()).isTrue();
        assertThat(ioThreads.find("io1")).contains(t);
        inUse.set(false);
        objects.delete("io1");
        assertThat(t.isAlive()).isFalse();
        assertThat(ioThreads.find("io1")).isEmpty();
    }

    /** QEMU: a device's iothread link keeps a deleted iothread's thread; only /objects forgets it. */
    @Test
    void aHolderKeepsADeletedIothreadRunning() {
        IoThread t = add("io1");
        t.retain();
        objects.delete("io1");
        assertThat(ioThreads.find("io1")).isEmpty();
        assertThat(tree.objects().childNames()).isEmpty();
        assertThat(t.isAlive()).isTrue();
        t.release();
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void engineShutdownStopsHeldThreadsToo() {
        IoThread t = add("io1");
        t.retain();
        objects.delete("io1");
        ioThreads.stopAll();
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void aFailedCompletionStartsNoThread() {
        assertThatThrownBy(() -> objects.addIothread("io1", JsonNodeFactory.instance.objectNode()
                .put("thread-pool-max", 0))).hasMessage("bad thread-pool-min/thread-pool-max values");
        assertThat(ioThreads.all()).isEmpty();
        assertThat(tree.objects().childNames()).isEmpty();
    }

    /** Every command finds iothreads as QEMU's iothread_by_id does: any QOM path to one. */
    @Test
    void iothreadIdsResolveAsQomPaths() {
        ioThreads.resolveWith(tree::findIothread);
        assertThat(ioThreads.find("")).isEmpty();
        IoThread io1 = add("io1");
        assertThat(ioThreads.find("io1")).contains(io1);
        assertThat(ioThreads.find("/objects/io1")).contains(io1);
        assertThat(ioThreads.find("objects/io1")).contains(io1);
        assertThat(ioThreads.find("/objects//io1/")).contains(io1);
        assertThat(ioThreads.find("")).as("the only iothread").contains(io1);
        assertThat(ioThreads.find("/io1")).isEmpty();
        assertThat(ioThreads.find("objects")).isEmpty();
        assertThat(ioThreads.find("nope")).isEmpty();
        add("io2");
        assertThat(ioThreads.find("")).as("two iothreads: ambiguous").isEmpty();
    }
}
