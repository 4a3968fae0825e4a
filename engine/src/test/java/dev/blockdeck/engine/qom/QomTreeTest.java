package dev.blockdeck.engine.qom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.blockdeck.engine.aio.IoThreads;

/** The QOM tree without QEMU: property order, lazy /objects, path resolution. */
class QomTreeTest {
    private final IoThreads ioThreads = new IoThreads();
    private final QomTree tree = new QomTree("none");
    private final UserObjects objects = new UserObjects(tree, ioThreads, ctx -> false);

    @AfterEach
    void stopThreads() {
        ioThreads.stopAll();
    }

    /** QEMU 7.2 iterates: iothread's class table, then event-loop-base's, then object's "type". */
    @Test
    void iothreadPropertiesComeInClassTableOrder() {
        IothreadObject o = objects.addIothread("io1", JsonNodeFactory.instance.objectNode());
        assertThat(o.properties()).extracting(QomProperty::name).containsExactly("poll-shrink", "poll-grow",
                "poll-max-ns", "thread-pool-max", "aio-max-batch", "thread-pool-min", "type");
    }

    @Test
    void objectsExistsOnlyOnceAskedFor() {
        assertThat(tree.objectsIfCreated()).isEmpty();
        assertThat(tree.resolve("/objects").object()).isNull();
        assertThat(tree.resolve("/").object().properties()).extracting(QomProperty::name)
                .containsExactlyInAnyOrder("machine", "chardevs", "type");
        tree.objects();
        assertThat(tree.resolve("/objects").object()).isSameAs(tree.objects());
    }

    @Test
    void partialPathsAreAmbiguousWhenTheyMatchTwice() {
        objects.addIothread("io1", JsonNodeFactory.instance.objectNode());
        objects.addIothread("peripheral", JsonNodeFactory.instance.objectNode());
        assertThat(tree.resolve("io1").object()).isInstanceOf(IothreadObject.class);
        assertThat(tree.resolve("peripheral").ambiguous()).isTrue();
        assertThat(tree.resolve("").ambiguous()).isTrue();
        assertThat(tree.resolve("/objects/peripheral").object()).isInstanceOf(IothreadObject.class);
        assertThat(tree.resolve("/machine/peripheral").object().modelled()).isTrue();
        assertThat(tree.resolve("/machine/unattached").object().modelled()).isFalse();
        assertThat(tree.resolve("/objects/io1/type").object()).isNull();
    }

    @Test
    void commandLineIntegersAreCStrtoll() {
        assertThat(CommandLineObjects.strtoll("0x10")).isEqualTo(16);
        assertThat(CommandLineObjects.strtoll("010")).isEqualTo(8);
        assertThat(CommandLineObjects.strtoll(" +5")).isEqualTo(5);
        assertThat(CommandLineObjects.strtoll("-0")).isEqualTo(0);
        assertThat(CommandLineObjects.strtoll("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        for (String bad : new String[] {"", "-", "0x", "08", "5 ", "1k", "1.5", "9223372036854775808", "+-1",
            "\u0665"}) {
            assertThat(CommandLineObjects.strtoll(bad)).as("'%s'", bad).isNull();
        }
    }
}
