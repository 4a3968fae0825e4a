package dev.blockdeck.qmp;

/** A command failed: becomes {@code {"error": {"class": ..., "desc": ...}}} on the wire. */
public class QmpException extends RuntimeException {
    private final QmpErrorClass errorClass;

    public QmpException(QmpErrorClass errorClass, String desc) {
        super(desc, null, false, false); // QMP errors are answers, not bugs: no stack trace needed
        this.errorClass = errorClass;
    }

    public QmpException(String desc) {
        this(QmpErrorClass.GenericError, desc);
    }

    public QmpErrorClass errorClass() {
        return errorClass;
    }

    public String desc() {
        return getMessage();
    }
}
