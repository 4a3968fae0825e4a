package dev.blockdeck.engine.qom;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;

/**
 * query-iothreads and qom-list list /objects in the order of QEMU's GLib hash table, which depends on
 * every insertion and deletion before (tombstones, rebuilds when the table grows, fills up with
 * tombstones, or empties). Seeded random object-add/object-del sequences, the same against QEMU and the
 * engine: ids of 1 to 24 characters, re-added ids, duplicates, additions that fail before touching the
 * table (range) and after (thread-pool bounds: the child is added, then removed), deletions of missing ids.
 * Even seeds grow to about twenty iothreads and then delete most of them, so that the table shrinks.
 */
class IothreadOrderDifferentialTest {
    private static final int STEPS = 40;
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._";

    static Stream<Integer> seeds() {
        return IntStream.range(0, 16).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void orderFollowsQemusHashTable(int seed) throws Exception {
        Qemu.requireBinary();
        List<String> script = script(seed);
        List<String> qemu;
        try (Qemu q = Qemu.start()) {
            qemu = ScriptRuns.run(q.socket(), script);
        }
        List<String> engine;
        try (EngineProcess e = EngineProcess.start()) {
            engine = ScriptRuns.run(e.socket(), script);
            IothreadTranscripts.assertThreadIdsAreOwnThreads(e.socket());
        }
        IothreadTranscripts.assertSame(script, engine, qemu);
    }

    static List<String> script(int seed) {
        Random r = new Random(seed * 7919L + 202);
        List<String> live = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> s = new ArrayList<>(List.of("{\"execute\": \"qmp_capabilities\"}"));
        boolean growThenShrink = seed % 2 == 0;
        for (int step = 0; step < STEPS; step++) {
            double addChance = growThenShrink ? (step < 24 ? 0.92 : 0.12) : 0.6;
            double x = r.nextDouble();
            if (live.isEmpty() || r.nextDouble() < addChance) {
                if (x < 0.05 && !live.isEmpty()) {
                    s.add(add(live.get(r.nextInt(live.size())), ""));
                } else if (x < 0.11) {
                    s.add(add(newId(r), "\"thread-pool-max\": 0"));
                } else if (x < 0.14) {
                    s.add(add(newId(r), "\"poll-grow\": -1"));
                } else {
                    String id = !deleted.isEmpty() && x < 0.35 ? deleted.remove(r.nextInt(deleted.size())) : newId(r);
                    if (!live.contains(id)) {
                        live.add(id);
                    }
                    s.add(add(id, ""));
                }
            } else if (x < 0.04) {
                s.add(del(newId(r)));
            } else {
                String id = live.remove(r.nextInt(live.size()));
                deleted.add(id);
                s.add(del(id));
            }
            s.add("{\"execute\": \"query-iothreads\"}");
            if (step % 8 == 7 || step == STEPS - 1) {
                s.add("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/objects\"}}");
            }
        }
        return s;
    }

    private static String newId(Random r) {
        int len = 1 + r.nextInt(r.nextBoolean() ? 6 : 24);
        StringBuilder sb = new StringBuilder().append(ID_CHARS.charAt(r.nextInt(52)));
        while (sb.length() < len) {
            sb.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }

    private static String add(String id, String more) {
        return "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"iothread\", \"id\": \"" + id + "\""
                + (more.isEmpty() ? "" : ", " + more) + "}}";
    }

    private static String del(String id) {
        return "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"" + id + "\"}}";
    }
}
