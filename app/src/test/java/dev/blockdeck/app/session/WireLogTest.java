package dev.blockdeck.app.session;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The session's wire log: a late subscriber sees what came before, then the live feed, without gaps. */
class WireLogTest {

    @Test
    void replaysThenFollowsAndForgetsTheOldest() {
        WireLog log = new WireLog(Clock.systemUTC(), 3);
        log.onMessage(dev.blockdeck.qmp.client.WireTracer.Direction.SENT, "a");
        log.onMessage(dev.blockdeck.qmp.client.WireTracer.Direction.RECEIVED, "b");
        log.onMessage(dev.blockdeck.qmp.client.WireTracer.Direction.SENT, "c");
        log.onMessage(dev.blockdeck.qmp.client.WireTracer.Direction.SENT, "d");
        List<String> seen = new ArrayList<>();
        log.subscribe(m -> seen.add(m.direction() + " " + m.json()));
        log.onMessage(dev.blockdeck.qmp.client.WireTracer.Direction.RECEIVED, "e");
        assertThat(seen).containsExactly("RECEIVED b", "SENT c", "SENT d", "RECEIVED e");
    }
}
