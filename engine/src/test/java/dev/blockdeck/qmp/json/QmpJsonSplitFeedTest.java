package dev.blockdeck.qmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.testutil.HostileCorpus;

/**
 * Every corpus stream gives the same values and errors however it is cut into feeds: split in two at every
 * byte position, and byte by byte. Streams longer than {@value #FULL_SPLIT_LIMIT} bytes are split at every
 * position of their first and last {@value #EDGE} bytes and at 200 seeded random positions (all positions would be quadratic).
 */
class QmpJsonSplitFeedTest {
    private static final int FULL_SPLIT_LIMIT = 16 * 1024;
    private static final int EDGE = 256;

    static List<HostileCorpus.Case> cases() {
        return CorpusStreams.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everySplitGivesTheSameResult(HostileCorpus.Case c) {
        byte[] in = CorpusStreams.asSent(c);
        List<String> once = Recording.feedOnce(in);
        assertThat(once).isNotEmpty();

        for (int cut : cutPositions(in.length, c.name().hashCode())) {
            Recording r = new Recording();
            QmpJsonStreamer s = new QmpJsonStreamer(r);
            s.feed(in, 0, cut);
            s.feed(in, cut, in.length - cut);
            if (!r.events.equals(once)) {
                assertThat(r.events).as("split at byte %d of %d", cut, in.length).containsExactlyElementsOf(once);
            }
        }

        Recording r = new Recording();
        QmpJsonStreamer s = new QmpJsonStreamer(r);
        for (int i = 0; i < in.length; i++) {
            s.feed(in, i, 1);
        }
        assertThat(r.events).as("byte by byte").containsExactlyElementsOf(once);
    }

    private static List<Integer> cutPositions(int length, long seed) {
        TreeSet<Integer> cuts = new TreeSet<>();
        if (length <= FULL_SPLIT_LIMIT) {
            for (int i = 0; i <= length; i++) {
                cuts.add(i);
            }
        } else {
            for (int i = 0; i <= EDGE; i++) {
                cuts.add(i);
                cuts.add(length - i);
            }
            Random random = new Random(seed);
            for (int i = 0; i < 200; i++) {
                cuts.add(random.nextInt(length + 1));
            }
        }
        return new ArrayList<>(cuts);
    }
}
