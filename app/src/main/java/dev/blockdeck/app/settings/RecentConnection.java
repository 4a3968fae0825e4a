package dev.blockdeck.app.settings;

/**
 * A session the console opened: an embedded-engine scenario (a shipped name or an {@code .args} file) or a QMP
 * socket it attached to.
 */
public record RecentConnection(Kind kind, String target) {

    public enum Kind {
        SCENARIO,
        ATTACH
    }

    public RecentConnection {
        if (kind == null || target == null || target.isBlank()) {
            throw new IllegalArgumentException("a recent connection needs a kind and a target");
        }
    }

    public static RecentConnection scenario(String nameOrFile) {
        return new RecentConnection(Kind.SCENARIO, nameOrFile);
    }

    public static RecentConnection attach(String socketPath) {
        return new RecentConnection(Kind.ATTACH, socketPath);
    }

    /** What the menu shows: {@code Scenario demo}, {@code Attach /run/vm.sock}. */
    public String label() {
        return (kind == Kind.SCENARIO ? "Scenario " : "Attach ") + target;
    }
}
