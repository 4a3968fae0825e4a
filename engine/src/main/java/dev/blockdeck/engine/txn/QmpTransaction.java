package dev.blockdeck.engine.txn;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.blockdeck.engine.block.BlockGraph;
import dev.blockdeck.engine.block.ImageCreator;

/**
 * QMP {@code transaction} (QEMU 7.2's qmp_transaction on the one {@link Transaction} primitive): one drain of
 * everything, then each action's prepare in order; the first failure aborts every prepared action in reverse;
 * otherwise all commit; clean always. No lock is held between actions: the actions' drained sections are what
 * keep their nodes quiet from their prepare until the common clean, whatever IOThreads the nodes run in.
 * Every run ends with one phase-trace event.
 */
public final class QmpTransaction {
    /** One entry of the {@code actions} list. */
    public record Entry(String type, ObjectNode data) {
    }

    private final BlockGraph graph;
    private final ImageCreator images;
    private final Map<String, ActionFactory> factories = new LinkedHashMap<>();
    private final BiConsumer<Boolean, ObjectNode> traceSink;

    /** {@code traceSink} receives (committed, event data) after each run. */
    public QmpTransaction(BlockGraph graph, PrintStream out, BiConsumer<Boolean, ObjectNode> traceSink) {
        this.graph = graph;
        this.images = new ImageCreator(out);
        this.traceSink = traceSink;
        factories.put("abort", (ctx, i, d) -> new AbortAction());
        factories.put("blockdev-snapshot", (ctx, i, d) -> new ExternalSnapshotAction(ctx, i, false, d));
        factories.put("blockdev-snapshot-sync", (ctx, i, d) -> new ExternalSnapshotAction(ctx, i, true, d));
    }

    /** Adds an action type (bitmap actions, backups) implemented elsewhere. */
    public void register(String type, ActionFactory f) {
        factories.put(type, f);
    }

    /** Runs the actions atomically; throws the first prepare's error after rolling everything back. */
    public void run(List<Entry> entries, boolean grouped) {
        PhaseTrace trace = new PhaseTrace();
        TxnContext ctx = new TxnContext(graph, images, trace, grouped);
        Transaction t = new Transaction().listen((i, a, phase, start) ->
                trace.phase(i, phase.name().toLowerCase(java.util.Locale.ROOT), start));
        try {
            ctx.edits.drainAll();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                trace.actionAdded(i, e.type());
                t.prepare(factories.get(e.type()).create(ctx, i, e.data()));
            }
            t.commit();
        } catch (RuntimeException e) {
            traceSink.accept(false, trace.toEvent(false, e.getMessage()));
            throw e;
        }
        traceSink.accept(true, trace.toEvent(true, null));
    }
}
