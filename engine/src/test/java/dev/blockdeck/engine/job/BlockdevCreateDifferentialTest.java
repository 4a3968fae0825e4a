package dev.blockdeck.engine.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.driver.qcow2.QemuTools;
import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;
import dev.blockdeck.testutil.ShortTempDir;
import dev.blockdeck.testutil.WatchdogQmp;

/**
 * blockdev-create jobs against QEMU 7.2: the same steps on both; since a job's later events come when its work
 * ends, each job is awaited until it concludes and the comparison is per job (its JOB_STATUS_CHANGE sequence), plus
 * every command's answer and the final query-jobs. The created images must pass qemu-img check and look the same.
 */
class BlockdevCreateDifferentialTest {
    private Path dir;

    @BeforeEach
    void setUp() {
        Qemu.requireBinary();
        dir = ShortTempDir.create("bcj");
    }

    @AfterEach
    void tearDown() {
        ShortTempDir.delete(dir);
    }

    private record Outcome(List<String> answers, Map<String, List<String>> statuses, String jobs) {
    }

    private Outcome run(Path socket, String tag) throws Exception {
        Map<String, List<String>> statuses = new LinkedHashMap<>();
        List<String> answers = new ArrayList<>();
        try (WatchdogQmp q = WatchdogQmp.connect(socket)) {
            q.client().addEventListener(ev -> {
                if (ev.name().equals("JOB_STATUS_CHANGE")) {
                    synchronized (statuses) {
                        statuses.computeIfAbsent(ev.data().get("id").textValue(), k -> new ArrayList<>())
                                .add(ev.data().get("status").textValue());
                    }
                }
            });
            String f = dir.resolve(tag + "-a.qcow2").toString();
            String[][] steps = {
                {"blockdev-create", "{\"job-id\":\"j1\",\"options\":{\"driver\":\"file\",\"filename\":\"" + f
                        + "\",\"size\":0}}", "j1"},
                {"job-dismiss", "{\"id\":\"j1\"}", null},
                {"blockdev-add", "{\"driver\":\"file\",\"node-name\":\"f1\",\"filename\":\"" + f + "\"}", null},
                {"blockdev-create", "{\"job-id\":\"j2\",\"options\":{\"driver\":\"qcow2\",\"file\":\"f1\","
                        + "\"size\":67108864,\"cluster-size\":65536}}", "j2"},
                {"blockdev-create", "{\"job-id\":\"j3\",\"options\":{\"driver\":\"qcow2\",\"file\":\"nope\","
                        + "\"size\":67108864}}", "j3"},
                {"blockdev-create", "{\"job-id\":\"j3\",\"options\":{\"driver\":\"file\",\"filename\":\"" + f
                        + "\",\"size\":0}}", null},
                {"blockdev-create", "{\"job-id\":\"bad id\",\"options\":{\"driver\":\"file\",\"filename\":\"" + f
                        + "\",\"size\":0}}", null},
                {"blockdev-create", "{\"job-id\":\"j4\",\"options\":{\"driver\":\"qcow2\",\"file\":\"f1\","
                        + "\"size\":1000}}", "j4"},
                {"job-dismiss", "{\"id\":\"nope\"}", null},
                {"job-complete", "{\"id\":\"j2\"}", null},
                {"job-finalize", "{\"id\":\"j2\"}", null},
                {"job-cancel", "{\"id\":\"j2\"}", null},
                {"job-resume", "{\"id\":\"j3\"}", null},
                {"job-pause", "{\"id\":\"j3\"}", null},
                {"job-dismiss", "{\"id\":\"j3\"}", null},
                {"query-jobs", null, null},
            };
            for (String[] s : steps) {
                answers.add(s[0] + " " + q.call(s[0], s[1]).toString());
                if (s[2] != null) {
                    await(statuses, s[2]);
                }
            }
            JsonNode jobs = q.ok("query-jobs", null);
            return new Outcome(answers, statuses, jobs.toString());
        }
    }

    private static void await(Map<String, List<String>> statuses, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            synchronized (statuses) {
                List<String> l = statuses.get(id);
                if (l != null && l.contains("concluded")) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("job %s did not conclude", id).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void createJobsRunLikeQemus() throws Exception {
        Outcome qemu;
        try (Qemu q = Qemu.start()) {
            qemu = run(q.socket(), "q");
        }
        Outcome engine;
        try (EngineProcess e = EngineProcess.start()) {
            engine = run(e.socket(), "e");
        }
        assertThat(engine.answers()).containsExactlyElementsOf(qemu.answers());
        assertThat(engine.statuses()).isEqualTo(qemu.statuses());
        assertThat(engine.jobs()).isEqualTo(qemu.jobs());
        String qi = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "q-a.qcow2").out();
        String ei = QemuTools.ok(dir, "qemu-img", "info", "--output=json", "e-a.qcow2").out();
        assertThat(ei.replace("e-a.qcow2", "X")).isEqualTo(qi.replace("q-a.qcow2", "X"));
        assertThat(QemuTools.run(dir, "qemu-img", "check", "e-a.qcow2").exit()).isZero();
    }
}
