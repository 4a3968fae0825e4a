package dev.blockdeck.qmp;

/**
 * The peer answered a command with an error. The class is kept as a string because a newer QEMU may
 * send classes this build does not know.
 */
public class QmpCommandException extends RuntimeException {
    private final String errorClass;
    private final String desc;

    public QmpCommandException(String errorClass, String desc) {
        super(errorClass + ": " + desc);
        this.errorClass = errorClass;
        this.desc = desc;
    }

    public String getErrorClass() {
        return errorClass;
    }

    public String getDesc() {
        return desc;
    }
}
