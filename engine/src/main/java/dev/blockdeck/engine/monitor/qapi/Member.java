package dev.blockdeck.engine.monitor.qapi;

import java.util.List;

/** A member of a QAPI object type. */
public record Member(String name, QapiType type, boolean optional, List<String> features) {
    public Member {
        features = List.copyOf(features);
    }

    public static Member required(String name, QapiType type) {
        return new Member(name, type, false, List.of());
    }

    public static Member optional(String name, QapiType type) {
        return new Member(name, type, true, List.of());
    }
}
