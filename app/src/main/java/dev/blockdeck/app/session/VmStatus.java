package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to {@code query-status}: {@code {"status": "running", "running": true, "singlestep": false}}.
 *
 * @param status the QAPI {@code RunState}, e.g. {@code running}, {@code paused}, {@code prelaunch}
 */
public record VmStatus(String status, boolean running) {

    public static VmStatus fromQueryStatus(JsonNode ret) {
        return new VmStatus(ret.path("status").asText("unknown"), ret.path("running").asBoolean(false));
    }
}
