package dev.blockdeck.app.txn;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's trace event (data as the engine sent it for a snapshot + abort) and the time axis. */
class TxnTraceTest {

    static final String ABORTED = """
            {"actions": [{"phases": [{"end-ns": 29600471, "phase": "prepare", "start-ns": 1741358},
              {"end-ns": 30028710, "phase": "abort", "start-ns": 29913989},
              {"end-ns": 30729025, "phase": "clean", "start-ns": 30126857}],
              "drained": [{"end-ns": 30141449, "start-ns": 1810261, "node": "disk0"}], "type": "blockdev-snapshot-sync"},
             {"phases": [{"end-ns": 29743715, "phase": "prepare", "start-ns": 29715593},
              {"end-ns": 29909983, "phase": "abort", "start-ns": 29906518},
              {"end-ns": 30737057, "phase": "clean", "start-ns": 30735245}], "drained": [], "type": "abort"}],
             "total-ns": 30751779, "outcome": "aborted", "error": "Transaction aborted using Abort action"}
            """;

    @Test
    void readsTheEvent() throws Exception {
        TxnTrace t = TxnTrace.parse(new ObjectMapper().readTree(ABORTED));
        assertThat(t.committed()).isFalse();
        assertThat(t.error()).isEqualTo("Transaction aborted using Abort action");
        assertThat(t.totalNs()).isEqualTo(30751779L);
        assertThat(t.types()).containsExactly("blockdev-snapshot-sync", "abort");
        assertThat(t.actions().get(0).drained()).containsExactly(new TxnTrace.Drain("disk0", 1810261, 30141449));
        assertThat(t.actions().get(1).phase("abort")).contains(new TxnTrace.Span("abort", 29906518, 29909983));
        assertThat(t.failedIndex()).isEqualTo(1);
        assertThat(t.spanNs()).isEqualTo(30751779L);
    }

    @Test
    void aCommittedTraceHasNoFailure() throws Exception {
        TxnTrace t = TxnTrace.parse(new ObjectMapper().readTree(
                "{\"outcome\": \"committed\", \"total-ns\": 5, \"actions\": [{\"type\": \"abort\", \"phases\": "
                        + "[{\"phase\": \"prepare\", \"start-ns\": 1, \"end-ns\": 9}], \"drained\": []}]}"));
        assertThat(t.committed()).isTrue();
        assertThat(t.error()).isNull();
        assertThat(t.failedIndex()).isEqualTo(-1);
        assertThat(t.spanNs()).as("the latest end, beyond total-ns").isEqualTo(9);
    }

    @Test
    void theAxisHasRoundTicksAndShortLabels() {
        assertThat(TimeAxis.step(45_340_000, 3)).isEqualTo(20_000_000);
        assertThat(TimeAxis.ticks(45_340_000, 3)).containsExactly(0L, 20_000_000L, 40_000_000L);
        assertThat(TimeAxis.step(900, 4)).isEqualTo(500);
        assertThat(TimeAxis.step(1, 5)).isEqualTo(1);
        assertThat(TimeAxis.format(0)).isEqualTo("0");
        assertThat(TimeAxis.format(640)).isEqualTo("640 ns");
        assertThat(TimeAxis.format(250_000)).isEqualTo("250 µs");
        assertThat(TimeAxis.format(1_500_000)).isEqualTo("1.5 ms");
        assertThat(TimeAxis.format(45_340_000)).isEqualTo("45.34 ms");
        assertThat(TimeAxis.format(2_250_000_000L)).isEqualTo("2.25 s");
    }

    @Test
    void theStretchedScaleKeepsOrderAndGivesShortPhasesRoom() throws Exception {
        TxnTrace t = TxnTrace.parse(new ObjectMapper().readTree(ABORTED));
        List<Long> instants = TimeScale.instants(t);
        assertThat(instants).isSorted().startsWith(0L).endsWith(30751779L).doesNotHaveDuplicates();
        TimeScale order = TimeScale.byOrder(instants);
        TimeScale linear = TimeScale.linear(t.spanNs());
        assertThat(order.x(0)).isZero();
        assertThat(order.x(t.spanNs())).isEqualTo(1.0);
        for (int i = 1; i < instants.size(); i++) {
            assertThat(order.x(instants.get(i))).isGreaterThan(order.x(instants.get(i - 1)));
        }
        // the abort of action 2 (3.5 µs) is a speck to scale, and at least half a gap's share stretched
        long s = 29906518;
        long e = 29909983;
        assertThat(linear.x(e) - linear.x(s)).isLessThan(0.001);
        assertThat(order.x(e) - order.x(s)).isGreaterThan(0.5 / (instants.size() - 1) * 0.9);
        // the second action's abort still comes before the first's
        assertThat(order.x(29906518)).isLessThan(order.x(29913989));
        assertThat(linear.x(t.spanNs() / 2)).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
    }
}
