package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.io.BlockStatsSample;
import dev.blockdeck.app.io.DriveContexts;
import dev.blockdeck.app.io.IoHistory;
import dev.blockdeck.app.io.IoLines;
import dev.blockdeck.app.io.IoSampler;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.session.Session;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The I/O tab: IOPS and throughput over the last minute, reads and writes apart, per drive and per AioContext, from
 * {@code query-blockstats} polled once a second while the tab is shown ({@link #setActive}), and the engine's guest
 * workloads ({@link #workloads()}).
 *
 * <p>Threading: the poll is sent from the ticker thread; the answer is stamped with {@code clock} when it arrives
 * (the rates divide by the time between answers) and handed to {@code fx}, where every property changes. Only one
 * poll is in flight at a time: a slow VM gets fewer samples, not a queue of them.
 */
public final class IoViewModel implements SessionPart {

    /** What the charts show. */
    public enum Grouping {
        DRIVE("Per drive"),
        IOTHREAD("Per IOThread");

        private final String label;

        Grouping(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static final long PERIOD_MILLIS = 1000;

    private final ObservableValue<BlockState> graphState;
    private final Executor fx;
    private final ScheduledExecutorService ticker;
    private final LongSupplier clock;
    private final WorkloadsViewModel workloads;

    private final IoSampler sampler = new IoSampler();
    private final IoHistory byDrive = new IoHistory();
    private final IoHistory byContext = new IoHistory();
    private final IoLines lines = new IoLines();
    private final AtomicBoolean polling = new AtomicBoolean();

    private final ObjectProperty<Grouping> grouping = new SimpleObjectProperty<>(Grouping.DRIVE);
    private final ObjectProperty<List<IoHistory.Series>> series = new SimpleObjectProperty<>(List.of());
    private final ObjectProperty<IoLines.Charts> charts = new SimpleObjectProperty<>(IoLines.Charts.EMPTY);
    private final ObservableList<String> drives = FXCollections.observableArrayList();
    private final ObservableList<String> dataless = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("Not connected.");
    private final BooleanProperty contextsAssumed = new SimpleBooleanProperty();

    private volatile Session session;
    private volatile boolean active;
    private ScheduledFuture<?> tick;
    private int samples;

    /**
     * @param graphState the graph's latest block state: which context each drive's nodes are in
     * @param ticker     runs the once-a-second poll; null for none (tests call {@link #poll()})
     * @param clock      nanoseconds, monotonic ({@code System::nanoTime}; a fake in tests)
     */
    public IoViewModel(ObservableValue<BlockState> graphState, Executor fx, ScheduledExecutorService ticker,
                       LongSupplier clock) {
        this.graphState = graphState;
        this.fx = fx;
        this.ticker = ticker;
        this.clock = clock;
        this.workloads = new WorkloadsViewModel(fx);
        grouping.addListener((o, a, b) -> publish());
    }

    public WorkloadsViewModel workloads() {
        return workloads;
    }

    @Override
    public void attach(Session s) {
        session = s;
        workloads.attach(s);
        fx.execute(() -> {
            sampler.reset();
            byDrive.clear();
            byContext.clear();
            lines.clear();
            samples = 0;
            drives.clear();
            dataless.clear();
            publish();
            status.set(active ? "Reading query-blockstats…" : "Shown while this tab is open: query-blockstats once a second.");
            schedule();
        });
    }

    @Override
    public void detach(String why) {
        session = null;
        workloads.detach(why);
        cancel();
        status.set(why);
    }

    /** Polls only while the tab is shown (FX thread): a hidden chart is not worth a query a second on the wire. */
    public void setActive(boolean shown) {
        active = shown;
        if (shown) {
            schedule();
            if (session != null && samples == 0) {
                status.set("Reading query-blockstats…");
            }
        } else {
            cancel();
        }
    }

    private void schedule() {
        if (ticker == null || !active || session == null || tick != null) {
            return;
        }
        try {
            tick = ticker.scheduleAtFixedRate(this::poll, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            tick = null;
        }
    }

    private void cancel() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    /** One sample (any thread): {@code query-blockstats}, and the workloads' counters where the VM has them. */
    public void poll() {
        Session s = session;
        if (s == null || !polling.compareAndSet(false, true)) {
            return;
        }
        try {
            workloads.poll();
            s.execute("query-blockstats", null).whenComplete((answer, error) -> {
                long now = clock.getAsLong();
                polling.set(false);
                fx.execute(() -> {
                    if (session != s) {
                        return;
                    }
                    if (error != null) {
                        status.set("query-blockstats failed: " + ConsoleViewModel.describe(error));
                    } else {
                        sampled(BlockStatsSample.parse(now, answer));
                    }
                });
            });
        } catch (RuntimeException e) {
            polling.set(false);
            fx.execute(() -> status.set("query-blockstats failed: " + ConsoleViewModel.describe(e)));
        }
    }

    private void sampled(BlockStatsSample sample) {
        samples++;
        List<String> labels = sample.drives().stream().map(d -> d.label()).toList();
        if (!labels.equals(drives)) {
            drives.setAll(labels);
        }
        DriveContexts contexts = new DriveContexts(graphState.getValue());
        contextsAssumed.set(contexts.assumed());
        List<String> noData = sample.drives().stream().filter(contexts::keepsNoData).map(d -> d.label()).toList();
        if (!noData.equals(dataless)) {
            dataless.setAll(noData);
        }
        IoSampler.Step step = sampler.add(sample, contexts);
        if (step != null) {
            byDrive.add(step.startNanos(), step.nanos(), step.drives());
            byContext.add(step.startNanos(), step.nanos(), step.contexts());
            publish();
        }
        int n = labels.size();
        status.set(n == 0 ? "query-blockstats lists no drive."
                : "query-blockstats once a second · " + n + (n == 1 ? " drive" : " drives")
                + (step == null ? " · first sample, rates from the next" : "")
                + (contexts.assumed() ? " · IOThreads as the graph assumes them" : ""));
    }

    private void publish() {
        List<IoHistory.Series> now = (grouping.get() == Grouping.DRIVE ? byDrive : byContext).snapshot();
        series.set(now);
        charts.set(lines.of(now));
    }

    /** The rates per drive or IOThread (for the current grouping), replaced after every sample: the table's rows. */
    public ReadOnlyObjectProperty<List<IoHistory.Series>> seriesProperty() {
        return series;
    }

    /**
     * What the charts draw, from the same rates: a read line (above zero) and a write line (below) per drive or
     * IOThread, in IOPS and MiB/s, with the legend. Replaced with {@link #seriesProperty()}.
     */
    public ReadOnlyObjectProperty<IoLines.Charts> chartsProperty() {
        return charts;
    }

    public ObjectProperty<Grouping> groupingProperty() {
        return grouping;
    }

    /** The drives of the last sample (device ids where a device has the drive): the workload form's choices. */
    public ObservableList<String> drives() {
        return drives;
    }

    /** The drives whose data ends in a node that keeps none (null-co): reads there cannot verify. */
    public ObservableList<String> datalessDrives() {
        return dataless;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    /** True when the VM does not report AioContexts (QEMU): per-IOThread sums follow the graph's assumption. */
    public ReadOnlyBooleanProperty contextsAssumedProperty() {
        return contextsAssumed;
    }

    /** For tests: the rates per drive and per context, whatever the grouping. */
    List<IoHistory.Series> series(Grouping g) {
        return (g == Grouping.DRIVE ? byDrive : byContext).snapshot();
    }
}
