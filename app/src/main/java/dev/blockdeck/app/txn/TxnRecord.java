package dev.blockdeck.app.txn;

import java.time.LocalTime;
import java.util.List;

/**
 * One transaction on the timeline: what was sent (when the composer sent it), how it ended and, from the
 * engine, its phase trace. Immutable; the ViewModel replaces it as the answer and the trace arrive.
 *
 * @param number      1, 2, ... in the order the console saw them
 * @param fromComposer false for a transaction someone else ran (the QMP console, another client), known
 *                    only from its trace
 * @param actions     what was sent, per action (from a trace alone: the types)
 * @param errorClass  the QMP error class when it failed, else null
 * @param error       QEMU's error text, else null
 * @param trace       the engine's trace, or null (QEMU sends none; or not arrived yet)
 */
public record TxnRecord(int number, LocalTime time, boolean fromComposer, List<Line> actions, Outcome outcome,
                        String errorClass, String error, TxnTrace trace) {

    /** One action as sent: {@code blockdev-snapshot-sync}, {@code drive0 → /images/disk0-snap1.qcow2 (qcow2)}. */
    public record Line(String type, String description) {
    }

    public enum Outcome {
        /** Sent, no answer yet. */
        RUNNING("Running"),
        /** Every action committed. */
        COMMITTED("Committed"),
        /** It failed: a prepare failed and every prepared action was rolled back (or QMP refused it). */
        ABORTED("Aborted"),
        /** The connection went away before the answer: nobody knows. */
        NO_ANSWER("No answer");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public TxnRecord {
        actions = List.copyOf(actions);
    }

    /** A transaction the composer is sending now. */
    public static TxnRecord sent(int number, LocalTime time, List<Line> actions) {
        return new TxnRecord(number, time, true, actions, Outcome.RUNNING, null, null, null);
    }

    /** A transaction someone else ran, known from its trace alone. */
    public static TxnRecord observed(int number, LocalTime time, TxnTrace trace) {
        return new TxnRecord(number, time, false, trace.types().stream().map(t -> new Line(t, "")).toList(),
                trace.committed() ? Outcome.COMMITTED : Outcome.ABORTED,
                trace.committed() ? null : "GenericError", trace.error(), trace);
    }

    public TxnRecord answered(Outcome outcome, String errorClass, String error) {
        return new TxnRecord(number, time, fromComposer, actions, outcome, errorClass, error, trace);
    }

    public TxnRecord withTrace(TxnTrace t) {
        return new TxnRecord(number, time, fromComposer, actions, outcome, errorClass, error, t);
    }

    /** For the history list: {@code #3 · 12:03:05 · Committed · 2 actions}. */
    public String title() {
        return "#" + number + " · " + time.withNano(0) + " · " + outcome.label() + " · " + actions.size()
                + (actions.size() == 1 ? " action" : " actions") + (fromComposer ? "" : " (not from the composer)");
    }
}
