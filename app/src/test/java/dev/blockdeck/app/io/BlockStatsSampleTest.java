package dev.blockdeck.app.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing query-blockstats as QEMU 7.2 answers it (recorded from qemu-system-x86_64 -M q35 with the demo drives). */
class BlockStatsSampleTest {

    /** Trimmed: QEMU's entries carry every BlockDeviceStats member; only these matter here. */
    static final String QEMU_72 = """
            [
              {"device": "drive0", "node-name": "#block011", "qdev": "/machine/peripheral/vblk0/virtio-backend",
               "stats": {"rd_operations": 1, "wr_operations": 0, "rd_bytes": 512, "wr_bytes": 0,
                         "flush_operations": 0, "timed_stats": [], "account_invalid": true}},
              {"device": "drive1", "node-name": "#block131", "qdev": "/machine/peripheral/vblk1/virtio-backend",
               "stats": {"rd_operations": 0, "wr_operations": 0, "rd_bytes": 0, "wr_bytes": 0}},
              {"device": "", "node-name": "disk0", "qdev": "/machine/peripheral-anon/device[0]/virtio-backend",
               "stats": {"rd_operations": 3, "wr_operations": 4, "rd_bytes": 1536, "wr_bytes": 2048}},
              {"device": "data", "node-name": "data-fmt", "stats": {"rd_operations": 9}},
              {"device": "", "stats": {"rd_operations": 9}}
            ]
            """;

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void drivesAreNamedByTheirDevicesElseTheirBackends() {
        BlockStatsSample s = BlockStatsSample.parse(42, json(QEMU_72));
        assertThat(s.nanos()).isEqualTo(42);
        assertThat(s.drives()).extracting(DriveStats::label)
                .containsExactly("vblk0", "vblk1", "/machine/peripheral-anon/device[0]", "data");
        DriveStats vblk0 = s.drive("vblk0");
        assertThat(vblk0.device()).isEqualTo("drive0");
        assertThat(vblk0.nodeName()).isEqualTo("#block011");
        assertThat(vblk0.counters()).isEqualTo(new IoCounters(1, 0, 512, 0));
        // a missing counter is 0, not an error
        assertThat(s.drive("data").counters()).isEqualTo(new IoCounters(9, 0, 0, 0));
    }

    @Test
    void noAnswerIsNoDrive() {
        assertThat(BlockStatsSample.parse(1, null).drives()).isEmpty();
        assertThat(BlockStatsSample.parse(1, json("[]")).drives()).isEmpty();
    }
}
