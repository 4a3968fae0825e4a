package dev.blockdeck.app.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The rate between two query-blockstats samples: counter deltas over the time between the answers. */
class IoRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void deltasOverTheIntervalInSeconds() {
        IoCounters before = new IoCounters(100, 40, 409_600, 163_840);
        IoCounters after = new IoCounters(350, 140, 1_433_600, 573_440);
        IoRate r = IoRate.between(before, after, SECOND / 2); // half a second

        assertThat(r.readIops()).isEqualTo(500.0);
        assertThat(r.writeIops()).isEqualTo(200.0);
        assertThat(r.readBytesPerSecond()).isEqualTo(2_048_000.0);
        assertThat(r.writeBytesPerSecond()).isEqualTo(819_200.0);
        assertThat(r.iops()).isEqualTo(700.0);
        assertThat(r.bytesPerSecond()).isEqualTo(2_867_200.0);
    }

    @Test
    void noChangeIsZeroNotNothing() {
        IoCounters c = new IoCounters(5, 6, 7, 8);
        assertThat(IoRate.between(c, c, SECOND)).isEqualTo(IoRate.ZERO);
    }

    @Test
    void aCounterThatWentDownMeansANewDriveAndNoRate() {
        IoCounters before = new IoCounters(1000, 1000, 4_096_000, 4_096_000);
        assertThat(IoRate.between(before, new IoCounters(3, 1000, 4_096_000, 4_096_000), SECOND)).isNull();
        assertThat(IoRate.between(before, new IoCounters(1000, 1000, 4_096_000, 0), SECOND)).isNull();
    }

    @Test
    void anIntervalThatIsNotPositiveHasNoRate() {
        IoCounters c = new IoCounters(1, 1, 1, 1);
        assertThat(IoRate.between(IoCounters.ZERO, c, 0)).isNull();
        assertThat(IoRate.between(IoCounters.ZERO, c, -SECOND)).isNull();
    }

    @Test
    void sumsAddEachMember() {
        IoRate a = new IoRate(1, 2, 3, 4);
        IoRate b = new IoRate(10, 20, 30, 40);
        assertThat(a.plus(b)).isEqualTo(new IoRate(11, 22, 33, 44));
        assertThat(a.plus(IoRate.ZERO)).isEqualTo(a);
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 12).mapToObj(i -> 0x5eed0000L + i);
    }

    /** Rates over consecutive intervals, weighted by their lengths, give the rate over the whole span. */
    @ParameterizedTest
    @MethodSource("seeds")
    void ratesOfConsecutiveIntervalsComposeToTheWholeSpan(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        IoCounters c = IoCounters.ZERO;
        IoCounters first = c;
        long t = 0;
        double weightedOps = 0;
        double weightedBytes = 0;
        for (int i = 0; i < 50; i++) {
            long dt = 1 + random.nextLong(3 * SECOND);
            IoCounters next = new IoCounters(c.readOps() + random.nextInt(10_000), c.writeOps() + random.nextInt(10_000),
                    c.readBytes() + random.nextLong(1L << 30), c.writeBytes() + random.nextLong(1L << 30));
            IoRate r = IoRate.between(c, next, dt);
            weightedOps += r.iops() * dt / 1e9;
            weightedBytes += r.bytesPerSecond() * dt / 1e9;
            c = next;
            t += dt;
        }
        IoRate whole = IoRate.between(first, c, t);
        assertThat(weightedOps).isCloseTo(whole.iops() * t / 1e9, within(1e-3 * Math.max(1, weightedOps)));
        assertThat(weightedBytes).isCloseTo(whole.bytesPerSecond() * t / 1e9, within(1e-6 * Math.max(1, weightedBytes)));
        assertThat(weightedOps).isCloseTo((double) (c.readOps() + c.writeOps()), within(1e-6 * Math.max(1, weightedOps)));
    }
}
