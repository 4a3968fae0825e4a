package dev.blockdeck.app.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The workload form's arguments and checks (the engine's limits, so the form can tell before sending). */
class WorkloadSpecTest {

    private static WorkloadSpec spec(String id, List<String> drives, int bs, int qd, int reads, long rate,
                                     boolean dependent, int writers) {
        return new WorkloadSpec(id, drives, "random", bs, qd, reads, rate, dependent, writers);
    }

    @Test
    void freeRunningArgumentsAsTheEngineDeclaresThem() {
        JsonNode args = spec(" w1 ", List.of("vblk0", "vblk1"), 8192, 16, 70, 500, false, 1).arguments();
        assertThat(args.toString()).isEqualTo("{\"id\":\"w1\",\"drives\":[\"vblk0\",\"vblk1\"],\"block-size\":8192,"
                + "\"read-percent\":70,\"rate\":500,\"pattern\":\"random\",\"queue-depth\":16}");
    }

    @Test
    void dependentWritersSendNoPatternNorQueueDepthAndNoRateWhenUnlimited() {
        JsonNode args = spec("w2", List.of("vblk0"), 4096, 16, 50, 0, true, 3).arguments();
        assertThat(args.toString()).isEqualTo("{\"id\":\"w2\",\"drives\":[\"vblk0\"],\"block-size\":4096,"
                + "\"read-percent\":50,\"dependent\":true,\"writers\":3}");
    }

    @Test
    void everyProblemIsNamed() {
        assertThat(spec("w", List.of("a"), 4096, 1, 0, 0, false, 1).problems()).isEmpty();
        assertThat(spec(" ", List.of(), 3000, 0, 101, -1, true, 0).problems()).containsExactly(
                "Give the workload an id.", "Choose at least one drive.",
                "Block size must be a power of 2 from 512 B to 1 MiB.", "Queue depth must be from 1 to 256.",
                "Reads must be from 0 to 100 %.", "Rate must be 0 (unlimited) or more operations per second.",
                "Writers must be from 1 to 256.");
        assertThat(spec("w", List.of("a", "a"), 2 << 20, 257, 50, 0, false, 0).problems()).containsExactly(
                "Each drive may be chosen once.", "Block size must be a power of 2 from 512 B to 1 MiB.",
                "Queue depth must be from 1 to 256.");
        assertThat(new WorkloadSpec("w", List.of("a"), "zigzag", 512, 1, 0, 0, false, 1).problems())
                .containsExactly("Pattern must be sequential or random.");
    }

    @Test
    void blockSizesAreThePowersOfTwoTheEngineTakes() {
        assertThat(WorkloadSpec.blockSizes()).containsExactly(512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
                131072, 262144, 524288, 1048576);
        assertThat(WorkloadSpec.formatSize(512)).isEqualTo("512 B");
        assertThat(WorkloadSpec.formatSize(65536)).isEqualTo("64 KiB");
        assertThat(WorkloadSpec.formatSize(1 << 20)).isEqualTo("1 MiB");
    }

    @Test
    void rateText() {
        assertThat(WorkloadSpec.parseRate("")).isZero();
        assertThat(WorkloadSpec.parseRate(" 1_000 ")).isEqualTo(1000);
        assertThat(WorkloadSpec.parseRate("-5")).isEqualTo(-1);
        assertThat(WorkloadSpec.parseRate("fast")).isEqualTo(-1);
        assertThat(WorkloadSpec.rateProblem("12")).isNull();
        assertThat(WorkloadSpec.rateProblem("1.5")).isNotNull();
    }

    @Test
    void compactNumbers() {
        assertThat(WorkloadSpec.compact(0)).isEqualTo("0");
        assertThat(WorkloadSpec.compact(12.34)).isEqualTo("12.3");
        assertThat(WorkloadSpec.compact(9999)).isEqualTo("9999");
        assertThat(WorkloadSpec.compact(71_800)).isEqualTo("71.8k");
        assertThat(WorkloadSpec.compact(2_500_000)).isEqualTo("2.5M");
    }

    @Test
    void workloadInfoFromTheEngineAndItsVerifiedReads() {
        JsonNode o = BlockStatsSampleTest.json("""
                {"id": "w6", "drives": ["vblk0"], "ops": 2315, "reads": 259, "writes": 2056, "errors": 0,
                 "verify-failures": 259, "bytes-read": 271581184, "bytes-written": 2155872256, "running": true,
                 "error": "drive 'vblk0': block 1379 reads as never written, but generation 1 was"}""");
        WorkloadInfo w = WorkloadInfo.parse(o);
        assertThat(w.id()).isEqualTo("w6");
        assertThat(w.drives()).containsExactly("vblk0");
        assertThat(w.ops()).isEqualTo(2315);
        assertThat(w.verified()).isZero();
        assertThat(w.verifyFailures()).isEqualTo(259);
        assertThat(w.bytesWritten()).isEqualTo(2155872256L);
        assertThat(w.error()).startsWith("drive 'vblk0'");
        assertThat(w.running()).isTrue();
        assertThat(w.stopped().running()).isFalse();
        assertThat(WorkloadInfo.parse(BlockStatsSampleTest.json("{\"id\":\"x\",\"reads\":10,\"verify-failures\":3}"))
                .verified()).isEqualTo(7);
    }
}
