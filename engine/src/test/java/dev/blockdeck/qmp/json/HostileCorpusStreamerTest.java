package dev.blockdeck.qmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.testutil.CorpusRunner;
import dev.blockdeck.testutil.HostileCorpus;

/**
 * The streamer against what QEMU recorded, for every corpus case: the JSON-level error responses (no id,
 * desc starting with "JSON ") must be exactly the streamer's errors, in order and byte for byte as written by
 * {@link QmpJsonWriter}; and every other response (events aside) answers one value the streamer found.
 */
class HostileCorpusStreamerTest {
    private static final String JSON_ERROR_PREFIX = "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON ";

    static List<HostileCorpus.Case> cases() {
        return CorpusStreams.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jsonLevelErrorsMatchQemu(HostileCorpus.Case c) {
        Recording r = new Recording();
        byte[] in = CorpusStreams.asSent(c);
        new QmpJsonStreamer(r).feed(in, 0, in.length);

        // what QEMU saw up to its answer to the first probe that was parsed
        List<String> errors = new ArrayList<>();
        int values = 0;
        int v = 0;
        for (String e : r.events) {
            if (e.startsWith("E:")) {
                errors.add(errorLine(e.substring(2)));
            } else {
                values++;
                if (CorpusStreams.isProbe(r.values.get(v++))) {
                    break;
                }
            }
        }

        List<String> recordedErrors = new ArrayList<>();
        int answers = 0;
        for (String line : c.expected()) {
            if (line.startsWith(JSON_ERROR_PREFIX)) {
                recordedErrors.add(line);
            } else if (!line.startsWith("{\"timestamp\": ")) {
                answers++;
            }
        }
        assertThat(errors).containsExactlyElementsOf(recordedErrors);
        assertThat(values).as("values found vs. responses to them").isEqualTo(answers);
        assertThat(CorpusRunner.answersProbe(c.expected().get(c.expected().size() - 1))).isTrue();
    }

    private static String errorLine(String desc) {
        StringBuilder sb = new StringBuilder("{\"error\": {\"class\": \"GenericError\", \"desc\": ");
        QmpJsonWriter.writeString(desc, sb);
        return sb.append("}}").toString();
    }
}
