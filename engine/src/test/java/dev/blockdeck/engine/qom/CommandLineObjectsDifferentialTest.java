package dev.blockdeck.engine.qom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.testutil.Qemu;

/**
 * Bad {@code -object iothread} options: QEMU's start-up error (first line, program name aside) and the
 * engine's must be the same. Parse-time errors name the option, creation errors do not; all options are
 * parsed before any object is created.
 */
class CommandLineObjectsDifferentialTest {

    static Stream<List<String>> badCommandLines() {
        List<List<String>> cases = new ArrayList<>(List.of(
                List.of("-object", "iothread,id=a,poll-max-ns=-1"),
                List.of("-object", "iothread,id=a,poll-max-ns=-9223372036854775808"),
                List.of("-object", "iothread,id=a,poll-max-ns=abc"),
                List.of("-object", "iothread,id=a,poll-max-ns=1.5"),
                List.of("-object", "iothread,id=a,poll-max-ns="),
                List.of("-object", "iothread,id=a,poll-max-ns=1k"),
                List.of("-object", "iothread,id=a,poll-max-ns=08"),
                List.of("-object", "iothread,id=a,poll-max-ns=0x"),
                List.of("-object", "iothread,id=a,poll-max-ns=5 "),
                List.of("-object", "iothread,id=a,poll-max-ns=-"),
                List.of("-object", "iothread,id=a,poll-max-ns=9223372036854775808"),
                List.of("-object", "iothread,id=a,poll-max-ns=18446744073709551615"),
                List.of("-object", "iothread,id=a,aio-max-batch="),
                List.of("-object", "iothread,id=a,foo=1"),
                List.of("-object", "iothread,id=a,zz=1,foo=1,bar=2"),
                List.of("-object", "iothread,id=a,poll-max-ns=-1,foo=1"),
                List.of("-object", "iothread,id=a,poll-max-ns=-1,poll-grow=abc"),
                List.of("-object", "iothread,id=a,poll-grow=abc,aio-max-batch=x"),
                List.of("-object", "iothread,id=a,thread-pool-min=10,thread-pool-max=5"),
                List.of("-object", "iothread,id=a,thread-pool-max=0"),
                List.of("-object", "iothread,id=a,thread-pool-max=2147483648"),
                List.of("-object", "iothread,id=a,poll-grow=-1,poll-shrink=-1"),
                List.of("-object", "iothread,id=a,thread-pool-min=-1,thread-pool-max=-1,aio-max-batch=-1"),
                List.of("-object", "iothread,id=a,thread-pool-min=-1,thread-pool-max=-1"),
                List.of("-object", "iothread,id=a", "-object", "iothread,id=a"),
                List.of("-object", "iothread,id=a,poll-max-ns=-1", "-object", "iothread,id=a"),
                List.of("-object", "iothread,id=a,poll-max-ns=-1", "-object", "iothread,id=b,foo=1"),
                List.of("-object", "iothread,id=a", "-object", "iothread,id=b,thread-pool-max=0"),
                List.of("-object", "iothread,id=type")));
        cases.addAll(unknownParameters());
        return cases.stream();
    }

    /** Several unknown parameters: which one QEMU names depends on a GLib table with removals. */
    private static List<List<String>> unknownParameters() {
        Random r = new Random(5);
        String[] words = {"foo", "bar", "zz", "node-name", "driver", "x", "a", "b", "cache", "iothread", "size"};
        List<String> known = List.of("poll-max-ns", "poll-grow", "poll-shrink", "aio-max-batch", "thread-pool-min",
                "thread-pool-max");
        List<List<String>> out = new ArrayList<>();
        for (int n = 0; n < 16; n++) {
            List<String> kv = new ArrayList<>();
            for (int i = 0; i < 1 + r.nextInt(3 + 2 * n); i++) {
                kv.add(words[r.nextInt(words.length)] + i + "=" + i);
            }
            for (String k : known) {
                if (r.nextInt(3) == 0) {
                    kv.add(k + "=1");
                }
            }
            java.util.Collections.shuffle(kv, r);
            kv.add(r.nextInt(kv.size() + 1), "id=obj" + n);
            out.add(List.of("-object", "iothread," + String.join(",", kv)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void startUpErrorIsQemus(List<String> options) throws Exception {
        String qemu = qemuError(options);
        List<String> args = new ArrayList<>(List.of("-M", "none", "-nodefaults", "-display", "none"));
        args.addAll(options);
        EngineStartException e = catchThrowableOfType(() -> Engine.start(args).close(), EngineStartException.class);
        assertThat(e).as("engine refuses %s", options).isNotNull();
        assertThat(e.getMessage().replace(Engine.PROGRAM + ": ", "PROG: "))
                .isEqualTo(qemu.replace("qemu-system-x86_64: ", "PROG: "));
    }

    /** QEMU's first line on stderr; it must exit with 1. */
    private static String qemuError(List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Qemu.requireBinary().toString(), "-M", "none", "-nodefaults",
                "-display", "none", "-S"));
        cmd.addAll(options);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("QEMU accepted " + options);
        }
        assertThat(p.exitValue()).isEqualTo(1);
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }
}
