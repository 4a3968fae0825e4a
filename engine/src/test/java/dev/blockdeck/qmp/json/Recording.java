package dev.blockdeck.qmp.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A sink that records what the streamer reports as {@code "V:<value as QEMU writes it>"} or {@code "E:<desc>"}. */
final class Recording implements JsonMessageSink {
    final List<String> events = new ArrayList<>();
    final List<JsonNode> values = new ArrayList<>();

    @Override
    public void onValue(JsonNode value) {
        values.add(value);
        events.add("V:" + QmpJsonWriter.write(value));
    }

    @Override
    public void onError(String desc) {
        events.add("E:" + desc);
    }

    /** Everything reported for {@code input} fed in one call. */
    static List<String> feedOnce(byte[] input) {
        Recording r = new Recording();
        new QmpJsonStreamer(r).feed(input, 0, input.length);
        return r.events;
    }

    /** Characters U+0000..U+00FF as single bytes, so tests can write raw bytes as {@code \u00ff}. */
    static byte[] latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("not a byte: " + s.charAt(i));
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
