package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The version a QMP greeting reports: {@code {"qemu": {"major", "minor", "micro"}, "package"}}.
 *
 * @param pkg the {@code package} string, e.g. {@code "Debian 1:7.2+dfsg-7"}; empty when absent
 */
public record QemuVersion(int major, int minor, int micro, String pkg) {

    public QemuVersion {
        pkg = pkg == null ? "" : pkg.strip();
    }

    /**
     * Reads the version from the greeting object (the value of the greeting's {@code "QMP"} member).
     *
     * @throws IllegalArgumentException when the greeting has no {@code version.qemu} object
     */
    public static QemuVersion fromGreeting(JsonNode greeting) {
        JsonNode version = greeting == null ? null : greeting.path("version");
        JsonNode qemu = version == null ? null : version.path("qemu");
        if (qemu == null || !qemu.isObject() || !qemu.path("major").isIntegralNumber()) {
            throw new IllegalArgumentException("QMP greeting has no version.qemu: " + greeting);
        }
        return new QemuVersion(qemu.path("major").asInt(), qemu.path("minor").asInt(),
                qemu.path("micro").asInt(), version.path("package").asText(""));
    }

    /** {@code "7.2.0"}. */
    public String number() {
        return major + "." + minor + "." + micro;
    }

    /** {@code "QEMU 7.2.0"}, followed by the package in parentheses when there is one. */
    public String display() {
        String base = "QEMU " + number();
        return pkg.isEmpty() ? base : base + " (" + pkg + ")";
    }
}
