package dev.blockdeck.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the hostile corpus honest: every case, run by {@link CorpusRunner} against a real QEMU 7.2 (one
 * process, cases in file order, one connection each), must give exactly the recorded lines.
 * Skipped when QEMU is not installed.
 */
class HostileCorpusQemuTest {
    private static Qemu qemu;

    @TestFactory
    Stream<DynamicTest> recordedTranscriptsMatchQemu() throws IOException {
        Qemu.requireBinary();
        qemu = Qemu.start();
        return HostileCorpus.load().cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            List<String> actual = CorpusRunner.run(qemu.socket(), c);
            assertSameLines(c.name(), actual, c.expected());
        }));
    }

    @AfterAll
    static void stopQemu() {
        if (qemu != null) {
            qemu.close();
        }
    }

    /** Compares transcripts, reporting the first differing line (shortened) rather than thousands of lines. */
    static void assertSameLines(String name, List<String> actual, List<String> expected) {
        int n = Math.min(actual.size(), expected.size());
        for (int i = 0; i < n; i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                assertThat(shorten(actual.get(i))).as("%s: line %d", name, i + 1)
                        .isEqualTo(shorten(expected.get(i)));
                assertThat(actual.get(i)).as("%s: line %d", name, i + 1).isEqualTo(expected.get(i));
            }
        }
        assertThat(actual.size()).as("%s: number of lines (actual %s)", name,
                shorten(String.valueOf(actual.subList(n, actual.size())))).isEqualTo(expected.size());
    }

    private static String shorten(String s) {
        return s.length() <= 600 ? s : s.substring(0, 300) + " ... [" + s.length() + " chars] ... "
                + s.substring(s.length() - 300);
    }
}
