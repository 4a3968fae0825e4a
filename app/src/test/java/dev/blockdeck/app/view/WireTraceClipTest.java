package dev.blockdeck.app.view;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A wire trace row shows the start of a long message and says how much is left out. */
class WireTraceClipTest {

    @Test
    void shortMessagesAreShownWhole() {
        assertThat(WireTraceController.clip("{\"return\": {}}", 1_000)).isEqualTo("{\"return\": {}}");
    }

    @Test
    void longMessagesAreCutWithTheCountOfWhatIsLeft() {
        String json = "x".repeat(WireTraceController.LINE_CHARS + 12_345);
        assertThat(WireTraceController.clip(json, WireTraceController.LINE_CHARS))
                .startsWith("x".repeat(WireTraceController.LINE_CHARS) + " … (12,345 more characters: Copy for all)")
                .hasSize(WireTraceController.LINE_CHARS + " … (12,345 more characters: Copy for all)".length());
    }
}
