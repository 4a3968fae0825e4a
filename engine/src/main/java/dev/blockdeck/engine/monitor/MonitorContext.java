package dev.blockdeck.engine.monitor;

import com.fasterxml.jackson.databind.JsonNode;

/** What a monitor connection needs from the engine around it. */
interface MonitorContext {
    MainLoop mainLoop();

    Dispatcher dispatcher();

    EventBroadcaster events();

    /** The greeting's {@code version} member (same shape as query-version's answer). */
    JsonNode versionInfo();

    /** Called after each answer is written (lets {@code quit} take effect only once it was answered). */
    void afterAnswer();
}
