package dev.blockdeck.engine.txn;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the action for one {@code {"type": ..., "data": ...}} entry of a transaction. */
@FunctionalInterface
public interface ActionFactory {
    TransactionAction create(TxnContext ctx, int index, ObjectNode data);
}
