package dev.blockdeck.engine.txn;

import java.util.ArrayList;
import java.util.List;

/**
 * The one all-or-nothing primitive: actions are prepared in order as they are added; {@link #commit} then commits
 * them in order, while {@link #abort} (or a failed prepare) aborts every prepared action in reverse order. Clean
 * runs for every action in order either way. Nothing here takes a lock: callers keep nodes quiet with drained
 * sections begun in prepare and ended in clean, so no lock is ever held from one action to the next.
 */
public final class Transaction {
    private final List<TransactionAction> actions = new ArrayList<>();
    private final List<TransactionListener> listeners = new ArrayList<>();
    private boolean finished;

    /** Observes phase boundaries (the phase trace). */
    public interface TransactionListener {
        void phase(int index, TransactionAction action, Phase phase, boolean start);
    }

    public enum Phase { PREPARE, COMMIT, ABORT, CLEAN }

    public Transaction listen(TransactionListener l) {
        listeners.add(l);
        return this;
    }

    /**
     * Adds {@code action} and prepares it. On failure the transaction is already rolled back (every action
     * aborted in reverse, then cleaned) and the error is rethrown.
     */
    public void prepare(TransactionAction action) {
        if (finished) {
            throw new IllegalStateException("transaction already finished");
        }
        actions.add(action);
        int i = actions.size() - 1;
        try {
            fire(i, action, Phase.PREPARE, true);
            action.prepare();
        } catch (RuntimeException e) {
            fire(i, action, Phase.PREPARE, false);
            abort();
            throw e;
        }
        fire(i, action, Phase.PREPARE, false);
    }

    /** Commits every prepared action in order, then cleans them. */
    public void commit() {
        finish(Phase.COMMIT);
    }

    /** Aborts every prepared action in reverse order, then cleans them. */
    public void abort() {
        finish(Phase.ABORT);
    }

    private void finish(Phase how) {
        if (finished) {
            return;
        }
        finished = true;
        if (how == Phase.COMMIT) {
            for (int i = 0; i < actions.size(); i++) {
                step(i, Phase.COMMIT, actions.get(i)::commit);
            }
        } else {
            for (int i = actions.size() - 1; i >= 0; i--) {
                step(i, Phase.ABORT, actions.get(i)::abort);
            }
        }
        for (int i = 0; i < actions.size(); i++) {
            step(i, Phase.CLEAN, actions.get(i)::clean);
        }
    }

    private void step(int i, Phase phase, Runnable r) {
        TransactionAction a = actions.get(i);
        fire(i, a, phase, true);
        try {
            r.run();
        } finally {
            fire(i, a, phase, false);
        }
    }

    private void fire(int i, TransactionAction a, Phase p, boolean start) {
        for (TransactionListener l : listeners) {
            l.phase(i, a, p, start);
        }
    }
}
