package dev.blockdeck.app.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The last minute of rates per series, with times relative to the newest sample. */
class IoHistoryTest {

    private static final long SECOND = 1_000_000_000L;

    private static IoRate iops(double n) {
        return new IoRate(n, 0, 0, 0);
    }

    @Test
    void keepsTheLastMinuteRelativeToTheNewestSample() {
        IoHistory h = new IoHistory();
        for (int t = 0; t <= 100; t++) {
            h.add(t * SECOND, Map.of("vd0", iops(t)));
        }
        IoHistory.Series s = h.snapshot().get(0);
        assertThat(s.name()).isEqualTo("vd0");
        assertThat(s.points()).hasSize(IoHistory.WINDOW_SECONDS + 1);
        assertThat(s.points().get(0).secondsAgo()).isEqualTo(-60.0);
        assertThat(s.points().get(0).rate()).isEqualTo(iops(40));
        assertThat(s.points().get(s.points().size() - 1).secondsAgo()).isEqualTo(0.0);
        assertThat(s.latest()).isEqualTo(iops(100));
    }

    @Test
    void aSeriesThatStopsReportingFadesOutThenGoes() {
        IoHistory h = new IoHistory();
        Map<String, IoRate> both = new LinkedHashMap<>();
        both.put("a", iops(1));
        both.put("b", iops(2));
        h.add(0, both);
        h.add(SECOND, Map.of("a", iops(3)));
        assertThat(h.snapshot()).extracting(IoHistory.Series::name).containsExactly("a", "b");
        assertThat(h.snapshot().get(1).latest()).as("b had no rate in the newest interval").isNull();
        assertThat(h.snapshot().get(1).points().get(0).secondsAgo()).isEqualTo(-1.0);

        h.add(62 * SECOND, Map.of("a", iops(4)));
        assertThat(h.snapshot()).extracting(IoHistory.Series::name).containsExactly("a");
        h.clear();
        assertThat(h.snapshot()).isEmpty();
    }
}
