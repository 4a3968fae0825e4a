package dev.blockdeck.app.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The last minute of rates per series, as steps, with times relative to the newest sample. */
class IoHistoryTest {

    private static final long SECOND = 1_000_000_000L;

    private static IoRate iops(double n) {
        return new IoRate(n, 0, 0, 0);
    }

    @Test
    void keepsTheLastMinuteRelativeToTheNewestSample() {
        IoHistory h = new IoHistory();
        for (int t = 1; t <= 100; t++) {
            h.add((t - 1) * SECOND, t * SECOND, Map.of("vd0", iops(t)));
        }
        IoHistory.Series s = h.snapshot().get(0);
        assertThat(s.name()).isEqualTo("vd0");
        // the intervals that ended in the last minute (40 s … 100 s), two points each
        assertThat(s.points()).hasSize(2 * (IoHistory.WINDOW_SECONDS + 1));
        assertThat(s.points().get(0)).as("cut at the window's edge").isEqualTo(new IoHistory.Point(-60.0, iops(40)));
        assertThat(s.points().get(1)).isEqualTo(new IoHistory.Point(-60.0, iops(40)));
        assertThat(s.points().get(2)).isEqualTo(new IoHistory.Point(-60.0, iops(41)));
        assertThat(s.points().get(3)).isEqualTo(new IoHistory.Point(-59.0, iops(41)));
        assertThat(s.points().get(s.points().size() - 1)).isEqualTo(new IoHistory.Point(0.0, iops(100)));
        assertThat(s.latest()).isEqualTo(iops(100));
    }

    @Test
    void aLongIntervalIsAFlatStepNotASlope() {
        IoHistory h = new IoHistory();
        h.add(0, SECOND, Map.of("vd0", iops(0)));
        h.add(SECOND, 16 * SECOND, Map.of("vd0", iops(1000))); // the tab was hidden for 15 s
        assertThat(h.snapshot().get(0).points()).containsExactly(
                new IoHistory.Point(-16.0, iops(0)), new IoHistory.Point(-15.0, iops(0)),
                new IoHistory.Point(-15.0, iops(1000)), new IoHistory.Point(0.0, iops(1000)));
    }

    @Test
    void aSeriesThatStopsReportingFadesOutThenGoes() {
        IoHistory h = new IoHistory();
        Map<String, IoRate> both = new LinkedHashMap<>();
        both.put("a", iops(1));
        both.put("b", iops(2));
        h.add(-SECOND, 0, both);
        h.add(0, SECOND, Map.of("a", iops(3)));
        assertThat(h.snapshot()).extracting(IoHistory.Series::name).containsExactly("a", "b");
        assertThat(h.snapshot().get(1).latest()).as("b had no rate in the newest interval").isNull();
        assertThat(h.snapshot().get(1).points()).extracting(IoHistory.Point::secondsAgo).containsExactly(-2.0, -1.0);

        h.add(61 * SECOND, 62 * SECOND, Map.of("a", iops(4)));
        assertThat(h.snapshot()).extracting(IoHistory.Series::name).containsExactly("a");
        h.clear();
        assertThat(h.snapshot()).isEmpty();
    }
}
