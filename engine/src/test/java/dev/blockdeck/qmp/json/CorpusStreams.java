package dev.blockdeck.qmp.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.testutil.CorpusRunner;
import dev.blockdeck.testutil.HostileCorpus;

/** The byte stream a QMP server's JSON layer sees for a corpus case when run by {@link CorpusRunner}. */
final class CorpusStreams {
    private static final byte[] PROBE = CorpusRunner.PROBE.getBytes(StandardCharsets.UTF_8);

    private CorpusStreams() {
    }

    /**
     * Input and probe, plus the runner's second {@code \x01}+probe when the first probe is not parsed as a
     * request (the runner only sends it then, because QEMU never answers such a probe).
     */
    static byte[] asSent(HostileCorpus.Case c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(c.input());
        out.writeBytes(PROBE);
        Recording r = new Recording();
        byte[] first = out.toByteArray();
        new QmpJsonStreamer(r).feed(first, 0, first.length);
        if (r.values.stream().noneMatch(CorpusStreams::isProbe)) {
            out.write(CorpusRunner.RESYNC_BYTE);
            out.writeBytes(PROBE);
        }
        return out.toByteArray();
    }

    static boolean isProbe(JsonNode v) {
        return v.isObject() && v.path("id").isTextual() && v.path("id").textValue().equals("alive");
    }

    static List<HostileCorpus.Case> cases() {
        return HostileCorpus.load().cases();
    }
}
