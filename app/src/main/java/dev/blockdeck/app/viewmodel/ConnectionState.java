package dev.blockdeck.app.viewmodel;

/** Where the console's QMP connection is. */
public enum ConnectionState {
    CONNECTING("Connecting…"),
    CONNECTED("Connected"),
    FAILED("Failed"),
    DISCONNECTED("Disconnected");

    private final String label;

    ConnectionState(String label) {
        this.label = label;
    }

    /** The text the console shows. */
    public String label() {
        return label;
    }
}
