package dev.blockdeck.app;

import dev.blockdeck.app.layout.GraphLayout;
import dev.blockdeck.app.layout.LaneLayouter;
import dev.blockdeck.app.model.BlockState;
import dev.blockdeck.app.model.BlockStateReader;
import dev.blockdeck.app.session.EmbeddedSessionLauncher;
import dev.blockdeck.app.session.Scenario;
import dev.blockdeck.app.session.Session;
import dev.blockdeck.app.session.SessionLauncher;
import dev.blockdeck.app.view.GraphCanvas;
import dev.blockdeck.app.viewmodel.GraphViewModel;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: how fast the console lays out, first draws and pans/zooms the 1,000-node stress VM. Runs the
 * whole console window on the embedded engine, as a user starts it ({@code --scenario stress-1000}), then a
 * scripted pan and zoom driven by an {@link AnimationTimer}, one step per pulse, recording the time between
 * pulses (JavaFX caps pulses at 60 per second: 16.7 ms is the best frame time there is).
 *
 * <p>Run it (README, "Benchmark"): {@code mvn -q -pl engine,app -Pbench-graph test-compile} (on the X display
 * in $DISPLAY; add {@code -Dbench.headless=true} for Monocle). Arguments: scenario name (stress-1000),
 * seconds per phase (4).
 */
public final class GraphBench {

    private GraphBench() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args.length > 0 ? args[0] : "stress-1000";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 4;
        System.out.printf(Locale.ROOT, "GraphBench: scenario %s, %d cores, Java %s, JavaFX %s, prism %s%n", scenario,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("javafx.runtime.version", "?"), System.getProperty("prism.order", "default"));

        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        MainApp app = new MainApp(AppOptions.parse(List.of("--scenario", scenario)));
        CompletableFuture<long[]> firstDraw = new CompletableFuture<>();
        Stage[] stage = new Stage[1];
        long t0 = System.nanoTime();
        Platform.runLater(() -> {
            try {
                stage[0] = new Stage();
                app.start(stage[0]);
                stage[0].setWidth(1440);
                stage[0].setHeight(900);
                watchFirstDraw(app, firstDraw);
            } catch (Exception e) {
                firstDraw.completeExceptionally(e);
            }
        });
        long[] t = firstDraw.get(120, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "console: window up, engine started and graph read: layout starts %d ms after start%n",
                ms(t[0] - t0));
        System.out.printf(Locale.ROOT, "console: layout %d ms (ELK, off the FX thread); scene built in %d ms;"
                + " first draw %d ms after the layout; layout + first draw %d ms%n",
                ms(t[1] - t[0]), ms(t[2] - t[1]), ms(t[3] - t[1]), ms(t[3] - t[0]));

        GraphCanvas canvas = onFx(() -> (GraphCanvas) stage[0].getScene().lookup("#graphCanvas"));
        // let the console settle (the inspector, the tabs) before timing frames
        Thread.sleep(1500);
        System.out.printf(Locale.ROOT, "viewport %.0f×%.0f px%n", onFx(canvas::getWidth), onFx(canvas::getHeight));
        onFx(() -> { canvas.fit(); return null; });
        report("pan at fit (" + pct(onFx(canvas::getZoom)) + ")", frames(seconds, (c, i) -> c.panBy(-3, -2), canvas));
        onFx(() -> { canvas.zoomBy(1 / canvas.getZoom()); return null; });
        report("pan at 100 %", frames(seconds, (c, i) -> c.panBy(i % 240 < 120 ? -12 : 12, i % 480 < 240 ? -6 : 6), canvas));
        report("zoom in and out (wheel-like, 20 %-400 %)", frames(seconds,
                (c, i) -> c.zoomBy(i % 120 < 60 ? 1.04 : 1 / 1.04), canvas));
        onFx(() -> { canvas.fit(); return null; });
        report("zoom across the level-of-detail switch", frames(seconds,
                (c, i) -> c.zoomBy(i % 60 < 30 ? 1.06 : 1 / 1.06), canvas));
        Platform.runLater(app::stop);
        layoutAlone(scenario);
        Platform.exit();
        System.exit(0);
    }

    /** ELK alone, after the console's run (so warm): what a re-layout of the same VM costs. */
    private static void layoutAlone(String scenario) throws Exception {
        BlockState state;
        long open = System.nanoTime();
        try (Session s = new EmbeddedSessionLauncher(Scenario.load(scenario)).open(SessionLauncher.Progress.NONE)) {
            long opened = System.nanoTime();
            state = new BlockStateReader(s::execute).read().get(60, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "engine: scenario opened in %d ms, block state read in %d ms: %d block nodes, %d vertices, %d lanes%n",
                    ms(opened - open), ms(System.nanoTime() - opened), state.blockNodes().size(), state.nodes().size(), state.lanes().size());
        }
        LaneLayouter layouter = new LaneLayouter();
        for (String run : List.of("again", "again", "again")) {
            long a = System.nanoTime();
            GraphLayout l = layouter.layout(state, new LaneLayouter.Progress() {
                @Override
                public void piecesDone(int done, int total) {
                }

                @Override
                public boolean cancelled() {
                    return false;
                }
            });
            System.out.printf(Locale.ROOT, "layout alone (%s): %d ms, %.0f×%.0f world px%n", run, ms(System.nanoTime() - a),
                    l.width(), l.height());
        }
    }

    /** Nanosecond stamps: layout started, layout done (show() starts), show() done, first frame drawn. */
    private static void watchFirstDraw(MainApp app, CompletableFuture<long[]> done) {
        GraphViewModel vm = app.viewModel().graph();
        long[] t = new long[4];
        vm.layingOutProperty().addListener((o, a, busy) -> {
            if (busy && t[0] == 0) {
                t[0] = System.nanoTime();
            } else if (!busy && t[0] != 0 && t[1] == 0) {
                t[1] = System.nanoTime(); // the ViewModel clears layingOut just before it publishes the layout
            }
        });
        // added after the view's own listener, so this runs once GraphCanvas.show() has built the scene
        vm.layoutProperty().addListener((o, a, layout) -> {
            if (layout == null || t[2] != 0) {
                return;
            }
            t[2] = System.nanoTime();
            // a pulse's sync waits for the previous frame's rendering: the second pulse from here starts once
            // the first frame with the new scene is on the screen
            new AnimationTimer() {
                int pulses;

                @Override
                public void handle(long now) {
                    if (++pulses == 2) {
                        t[3] = System.nanoTime();
                        stop();
                        done.complete(t);
                    }
                }
            }.start();
        });
    }

    interface Step {
        void apply(GraphCanvas canvas, int frame);
    }

    /** Frame times (ms) while {@code step} runs once per pulse for {@code seconds}. */
    private static double[] frames(double seconds, Step step, GraphCanvas canvas) throws Exception {
        CompletableFuture<double[]> result = new CompletableFuture<>();
        Platform.runLater(() -> new AnimationTimer() {
            final List<Long> stamps = new ArrayList<>();
            long start;

            @Override
            public void handle(long now) {
                long wall = System.nanoTime();
                if (start == 0) {
                    start = wall;
                }
                stamps.add(wall);
                if (wall - start > seconds * 1e9) {
                    stop();
                    double[] d = new double[stamps.size() - 1];
                    for (int i = 1; i < stamps.size(); i++) {
                        d[i - 1] = (stamps.get(i) - stamps.get(i - 1)) / 1e6;
                    }
                    result.complete(d);
                    return;
                }
                step.apply(canvas, stamps.size());
            }
        }.start());
        return result.get((long) seconds + 60, TimeUnit.SECONDS);
    }

    private static void report(String what, double[] frameMs) {
        double[] s = frameMs.clone();
        Arrays.sort(s);
        double total = Arrays.stream(frameMs).sum();
        System.out.printf(Locale.ROOT, "%-42s %4d frames: median %5.1f ms, p95 %5.1f ms, max %6.1f ms, %5.1f fps%n", what,
                s.length, s[s.length / 2], s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)], s[s.length - 1],
                1000 * s.length / total);
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String pct(double zoom) {
        return String.format(Locale.ROOT, "%.0f %%", zoom * 100);
    }
}
