package dev.blockdeck.engine.qom;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.testutil.EngineProcess;
import dev.blockdeck.testutil.Qemu;

/**
 * object-add, object-del, query-iothreads, qom-list, qom-get and qom-set: the same scripts against QEMU
 * 7.2 and the engine, success and error paths; transcripts equal once thread ids are masked.
 */
class QomCommandsDifferentialTest {
    private static final String CAPS = "{\"execute\": \"qmp_capabilities\"}";

    private static String add(String id, String more) {
        return "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"iothread\", \"id\": \"" + id + "\""
                + (more.isEmpty() ? "" : ", " + more) + "}}";
    }

    private static String del(String id) {
        return "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"" + id + "\"}}";
    }

    private static String list(String path) {
        return "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"" + path + "\"}}";
    }

    private static String get(String path, String prop) {
        return "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"" + path + "\", \"property\": \"" + prop
                + "\"}}";
    }

    private static String set(String path, String prop, String value) {
        return "{\"execute\": \"qom-set\", \"arguments\": {\"path\": \"" + path + "\", \"property\": \"" + prop
                + "\", \"value\": " + value + "}}";
    }

    private static final String QUERY = "{\"execute\": \"query-iothreads\"}";

    private static List<String> script(String... requests) {
        List<String> s = new ArrayList<>(List.of(CAPS));
        s.addAll(List.of(requests));
        return s;
    }

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("object-add", new String[0], script(
                        add("io1", ""),
                        add("io2", "\"poll-max-ns\": 0, \"poll-grow\": 2, \"poll-shrink\": 3, \"aio-max-batch\": 4,"
                                + " \"thread-pool-min\": 1, \"thread-pool-max\": 9223372036854775807"),
                        add("io3", "\"thread-pool-min\": 2147483647, \"thread-pool-max\": 2147483647"),
                        QUERY,
                        add("io1", ""),
                        add("io1", "\"poll-max-ns\": -1"),
                        add("1bad", ""), add("", ""), add("a b", ""), add("a/b", ""), add("_x", ""),
                        add("ok", "\"poll-max-ns\": -1"), add("ok", "\"poll-grow\": -1"),
                        add("ok", "\"poll-shrink\": -1"), add("ok", "\"aio-max-batch\": -1"),
                        add("ok", "\"thread-pool-min\": -1"), add("ok", "\"thread-pool-max\": -1"),
                        add("ok", "\"poll-grow\": -1, \"poll-shrink\": -1, \"thread-pool-min\": -1"),
                        add("ok", "\"poll-max-ns\": -1, \"aio-max-batch\": -1, \"thread-pool-max\": -1"),
                        add("ok", "\"thread-pool-min\": 10, \"thread-pool-max\": 5"),
                        add("ok", "\"thread-pool-max\": 0"), add("ok", "\"thread-pool-min\": 65"),
                        add("ok", "\"thread-pool-max\": 2147483648"),
                        add("ok", "\"thread-pool-min\": 3, \"thread-pool-max\": -5"),
                        add("1bad", "\"thread-pool-max\": 0"), add("type", ""),
                        add("ok", "\"poll-max-ns\": \"1\""), add("ok", "\"poll-max-ns\": 1.5"),
                        add("ok", "\"poll-max-ns\": 18446744073709551615"), add("ok", "\"poll-max-ns\": null"),
                        add("ok", "\"poll-max-ns\": true"), add("ok", "\"foo\": 1"), add("ok", "\"b\": 1, \"a\": 2"),
                        "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"nope\", \"id\": \"x\"}}",
                        "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": 1, \"id\": \"x\"}}",
                        "{\"execute\": \"object-add\", \"arguments\": {\"id\": \"x\"}}",
                        "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"iothread\"}}",
                        "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"iothread\", \"id\": 5}}",
                        "{\"execute\": \"object-add\"}",
                        QUERY, list("/objects"))),
                Arguments.of("object-del", new String[0], script(
                        del("nope"), list("/objects"),
                        add("io1", ""), add("io2", ""), QUERY,
                        del("io1"), del("io1"), del("type"), del(""), del("/objects/io2"), QUERY,
                        add("io1", "\"poll-grow\": 5"), QUERY,
                        "{\"execute\": \"object-del\"}",
                        "{\"execute\": \"object-del\", \"arguments\": {\"id\": 1}}",
                        "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"io2\", \"x\": 1}}",
                        del("io2"), del("io1"), QUERY, list("/objects"))),
                Arguments.of("objects-container-is-created-on-demand", new String[0], script(
                        list("/objects"), get("/objects", "type"), list("objects"), list("/"),
                        add("1bad", ""), list("/objects"),
                        add("ok", "\"poll-max-ns\": -1"), list("/objects"),
                        QUERY, list("/objects"), list("/"))),
                Arguments.of("failed-completion-creates-the-container", new String[0], script(
                        add("x", "\"thread-pool-max\": 0"), list("/objects"), QUERY)),
                Arguments.of("qom-list", new String[0], script(
                        add("io1", ""), add("iothread-with-a-longer-name", ""),
                        list("/objects"), list("/objects/io1"), list("io1"), list("objects"), list("/objects/"),
                        list("//objects"), list("/objects//io1/"), list("objects/io1"), list("/"), list("//"),
                        list(""), list("/objects/nope"), list("nope"), list("/nope"), list("/objects/io1/type"),
                        list("/objects/io1/x"), list("/io1"), list("type"),
                        "{\"execute\": \"qom-list\"}",
                        "{\"execute\": \"qom-list\", \"arguments\": {\"path\": 1}}")),
                Arguments.of("qom-get", new String[0], script(
                        add("io1", "\"poll-max-ns\": 7, \"aio-max-batch\": 9, \"thread-pool-min\": 2"),
                        get("/objects/io1", "type"), get("/objects/io1", "poll-max-ns"), get("io1", "poll-grow"),
                        get("io1", "poll-shrink"), get("io1", "aio-max-batch"), get("io1", "thread-pool-min"),
                        get("io1", "thread-pool-max"), get("/objects", "io1"), get("/objects", "type"),
                        get("/", "type"), get("/", "objects"), get("/", "machine"), get("/", "chardevs"),
                        get("objects", "io1"), get("/objects/io1", "nope"), get("/objects", "nope"),
                        get("/objects/nope", "type"), get("", "type"), get("/objects/io1/", "type"),
                        "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"io1\"}}",
                        "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"io1\", \"property\": 1}}")),
                Arguments.of("ids-that-collide-with-qemus-tree", new String[0], script(
                        add("objects", ""), add("machine", ""), add("peripheral", ""), add("chardevs", ""),
                        list("objects"), get("objects", "type"), list("machine"), get("machine", "type"),
                        list("peripheral"), get("peripheral", "poll-max-ns"), list("chardevs"),
                        list("/objects/objects"), get("/objects/machine", "type"), list("objects/objects"),
                        QUERY, list("/objects"))),
                Arguments.of("qom-set", new String[0], script(
                        add("io1", ""),
                        set("/objects/io1", "poll-max-ns", "5"), set("io1", "poll-grow", "6"),
                        set("io1", "poll-shrink", "7"), set("io1", "aio-max-batch", "8"),
                        set("io1", "thread-pool-min", "1"), set("io1", "thread-pool-max", "2"), QUERY,
                        set("io1", "poll-max-ns", "-5"), set("io1", "poll-max-ns", "\"5\""),
                        set("io1", "poll-max-ns", "1.5"), set("io1", "poll-max-ns", "null"),
                        set("io1", "poll-max-ns", "18446744073709551615"), set("io1", "poll-max-ns", "{}"),
                        set("io1", "poll-max-ns", "9223372036854775807"),
                        set("io1", "type", "\"x\""), set("io1", "nope", "1"), set("/objects", "io1", "\"x\""),
                        set("/objects", "type", "1"), set("/", "machine", "1"), set("/objects/nope", "x", "1"),
                        set("", "type", "1"),
                        // a rejected thread-pool value stays set, and then fails every event-loop-base setter
                        set("io1", "thread-pool-min", "100"), get("io1", "thread-pool-min"),
                        set("io1", "aio-max-batch", "3"), get("io1", "aio-max-batch"),
                        set("io1", "poll-grow", "3"), set("io1", "thread-pool-max", "0"),
                        set("io1", "thread-pool-max", "200"), set("io1", "thread-pool-min", "0"),
                        set("io1", "thread-pool-max", "2147483648"), set("io1", "thread-pool-max", "64"), QUERY,
                        "{\"execute\": \"qom-set\", \"arguments\": {\"path\": \"io1\", \"property\": \"poll-grow\"}}")),
                Arguments.of("command-line-objects", new String[] {"-object", "iothread,id=a,poll-max-ns=0x10",
                    "-object", "iothread,id=zz,poll-grow=010,aio-max-batch=+5,thread-pool-max= 7",
                    "-object", "qom-type=iothread,id=b,poll-shrink=-0,poll-shrink=3"}, script(
                        QUERY, list("/objects"), get("a", "poll-max-ns"), get("zz", "thread-pool-max"),
                        add("a", ""), del("a"), QUERY, add("a", "\"poll-max-ns\": 1"), QUERY)),
                Arguments.of("q35-puts-its-ram-into-objects", new String[] {"-M", "q35", "-S",
                    "-object", "iothread,id=zz", "-object", "iothread,id=a"}, script(
                        QUERY, list("/objects"), list("/"), del("pc.ram"), add("pc.ram", ""),
                        get("/objects", "pc.ram"), add("io9", ""), del("zz"), QUERY, list("/objects"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void engineAnswersLikeQemu(String name, String[] extraArgs, List<String> script) throws Exception {
        Qemu.requireBinary();
        List<String> qemu;
        try (Qemu q = Qemu.start(extraArgs)) {
            qemu = ScriptRuns.run(q.socket(), script);
        }
        List<String> engine;
        try (EngineProcess e = EngineProcess.start(extraArgs)) {
            engine = ScriptRuns.run(e.socket(), script);
            IothreadTranscripts.assertThreadIdsAreOwnThreads(e.socket());
        }
        IothreadTranscripts.assertSame(script, engine, qemu);
    }
}
