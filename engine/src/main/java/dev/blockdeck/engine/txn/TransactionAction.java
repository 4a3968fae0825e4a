package dev.blockdeck.engine.txn;

/**
 * One step of a {@link Transaction}: a QMP {@code transaction} action or one graph change. {@link #prepare} is the
 * only phase that may fail; afterwards exactly one of {@link #commit} or {@link #abort} runs, then {@link #clean}.
 * An action whose prepare failed still gets {@link #abort} and {@link #clean}, so prepare must leave a state they
 * can undo (QEMU's rule too). All phases run on the main loop.
 */
public interface TransactionAction {
    /** Does the work in a revocable way; throws (BlockException, QmpCommandException) to make the whole transaction fail. */
    void prepare();

    /** Makes the prepared change final. Cannot fail. */
    default void commit() {
    }

    /** Undoes what prepare did (also after a failed prepare: undo only what happened). Cannot fail. */
    default void abort() {
    }

    /** Releases what prepare took (drained sections, references), after commit or abort. Cannot fail. */
    default void clean() {
    }
}
