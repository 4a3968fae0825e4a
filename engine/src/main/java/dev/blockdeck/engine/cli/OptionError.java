package dev.blockdeck.engine.cli;

/**
 * A bad command line. {@link #format} gives QEMU's shape: {@code PROG: -opt value: message}
 * (the option part is left out where QEMU leaves it out).
 */
public final class OptionError extends Exception {
    private final String optionText;

    public OptionError(String optionText, String message) {
        super(message);
        this.optionText = optionText;
    }

    /** The option as the user wrote it ({@code -qmp unix:/x}), or null. */
    public String optionText() {
        return optionText;
    }

    public String format(String program) {
        return optionText == null ? program + ": " + getMessage() : program + ": " + optionText + ": " + getMessage();
    }
}
