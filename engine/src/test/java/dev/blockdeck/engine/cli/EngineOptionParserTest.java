package dev.blockdeck.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineOptionParserTest {

    private static EngineOptions run(String... args) throws OptionError {
        EngineOptionParser.Result r = EngineOptionParser.parse(List.of(args));
        assertThat(r.action()).isEqualTo(EngineOptionParser.Action.RUN);
        return r.options();
    }

    @Test
    void defaultsAreAnEmptyRunningMachine() throws OptionError {
        EngineOptions o = run();
        assertThat(o.machine()).isEqualTo("none");
        assertThat(o.startPaused()).isFalse();
        assertThat(o.qmp()).isEmpty();
    }

    @Test
    void laterMachineOverridesEarlierAndSStartsPaused() throws OptionError {
        EngineOptions o = run("-M", "q35", "-S", "-machine", "none", "--nodefaults", "-display", "none");
        assertThat(o.machine()).isEqualTo("none");
        assertThat(o.startPaused()).isTrue();
        assertThat(o.nodefaults()).isTrue();
        assertThat(run("-M", "none", "-M", "pc-q35-7.2,accel=qtest").machine()).isEqualTo("q35");
    }

    @Test
    void qmpSocketsOfBothKinds() throws OptionError {
        EngineOptions o = run("-qmp", "unix:/tmp/a.sock,server=on,wait=off", "-qmp", "tcp:127.0.0.1:4444,server,nowait",
                "-qmp", "unix:/tmp/b,,c.sock,server=on");
        assertThat(o.qmp()).hasSize(3);
        assertThat(o.qmp().get(0).unixPath()).isEqualTo(Path.of("/tmp/a.sock"));
        assertThat(o.qmp().get(0).waitForClient()).isFalse();
        assertThat(o.qmp().get(1).tcp()).isEqualTo(new InetSocketAddress("127.0.0.1", 4444));
        assertThat(o.qmp().get(2).unixPath()).isEqualTo(Path.of("/tmp/b,c.sock"));
        assertThat(o.qmp().get(2).waitForClient()).isTrue();
    }

    @Test
    void nameObjectAndBlockOptionsAreKept() throws OptionError {
        EngineOptions o = run("-name", "guest=db,debug-threads=on", "-object", "iothread,id=io0,poll-max-ns=0",
                "-blockdev", "driver=null-co,node-name=n0", "-drive", "if=none,id=d0,file=x", "-device",
                "virtio-blk-pci,drive=d0", "-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off",
                "--allow-remote-qmp");
        assertThat(o.name()).isEqualTo("db");
        assertThat(o.objects()).singleElement().satisfies(m -> {
            assertThat(m).containsEntry("qom-type", "iothread").containsEntry("id", "io0")
                    .containsEntry("poll-max-ns", "0");
        });
        assertThat(o.blockdevs()).containsExactly("driver=null-co,node-name=n0");
        assertThat(o.drives()).containsExactly("if=none,id=d0,file=x");
        assertThat(o.devices()).containsExactly("virtio-blk-pci,drive=d0");
        assertThat(o.globals()).containsExactly("ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off");
        assertThat(o.allowRemoteQmp()).isTrue();
        assertThat(run("-name", "plain").name()).isEqualTo("plain");
    }

    @Test
    void helpVersionAndMachineHelpAreActions() throws OptionError {
        assertThat(EngineOptionParser.parse(List.of("--help")).action()).isEqualTo(EngineOptionParser.Action.HELP);
        assertThat(EngineOptionParser.parse(List.of("-h")).action()).isEqualTo(EngineOptionParser.Action.HELP);
        assertThat(EngineOptionParser.parse(List.of("-version")).action()).isEqualTo(EngineOptionParser.Action.VERSION);
        assertThat(EngineOptionParser.parse(List.of("--version")).action()).isEqualTo(EngineOptionParser.Action.VERSION);
        assertThat(EngineOptionParser.parse(List.of("-M", "help")).action())
                .isEqualTo(EngineOptionParser.Action.MACHINE_HELP);
    }

    /** Every error path, with the message as the launcher prints it (QEMU's shape). */
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(List.of("-foo"), "blockdeck-engine: -foo: invalid option"),
                Arguments.of(List.of("--foo"), "blockdeck-engine: --foo: invalid option"),
                Arguments.of(List.of("-M"), "blockdeck-engine: -M: requires an argument"),
                Arguments.of(List.of("-qmp"), "blockdeck-engine: -qmp: requires an argument"),
                Arguments.of(List.of("-name"), "blockdeck-engine: -name: requires an argument"),
                Arguments.of(List.of("-M", "bogus"),
                        "blockdeck-engine: unsupported machine type\nUse -machine help to list supported machines"),
                Arguments.of(List.of("-M", "q35,foo=bar"),
                        "blockdeck-engine: Property 'pc-q35-7.2-machine.foo' not found"),
                Arguments.of(List.of("-M", "none,foo=bar"), "blockdeck-engine: Property 'none-machine.foo' not found"),
                Arguments.of(List.of("-display", "foo"),
                        "blockdeck-engine: -display foo: Parameter 'type' does not accept value 'foo'"),
                Arguments.of(List.of("-qmp", "foo:bar"),
                        "blockdeck-engine: -qmp foo:bar: 'foo:bar' is not a valid char driver"),
                Arguments.of(List.of("-qmp", "tcp:127.0.0.1"),
                        "blockdeck-engine: -qmp tcp:127.0.0.1: parse error: tcp:127.0.0.1"),
                Arguments.of(List.of("-qmp", "tcp:127.0.0.1:x,server=on"),
                        "blockdeck-engine: -qmp tcp:127.0.0.1:x,server=on: parse error: tcp:127.0.0.1:x,server=on"),
                Arguments.of(List.of("-qmp", "tcp:127.0.0.1:70000,server=on"),
                        "blockdeck-engine: -qmp tcp:127.0.0.1:70000,server=on: parse error: tcp:127.0.0.1:70000,server=on"),
                Arguments.of(List.of("-qmp", "unix:,server=on"),
                        "blockdeck-engine: -qmp unix:,server=on: parse error: unix:,server=on"),
                Arguments.of(List.of("-qmp", "unix:/tmp/zz,server=on,wait=off,bogus=1"),
                        "blockdeck-engine: -qmp unix:/tmp/zz,server=on,wait=off,bogus=1: Invalid parameter 'bogus'"),
                Arguments.of(List.of("-qmp", "unix:/tmp/zz,server=maybe"),
                        "blockdeck-engine: -qmp unix:/tmp/zz,server=maybe: Parameter 'server' expects 'on' or 'off'"),
                Arguments.of(List.of("-qmp", "unix:/tmp/zz"),
                        "blockdeck-engine: -qmp unix:/tmp/zz: only server mode is supported: add server=on"),
                Arguments.of(List.of("-object", "nosuch,id=x"),
                        "blockdeck-engine: -object nosuch,id=x: Parameter 'qom-type' does not accept value 'nosuch'"),
                Arguments.of(List.of("-object", "id=x"),
                        "blockdeck-engine: -object id=x: Parameter 'qom-type' is missing"),
                Arguments.of(List.of("-object", "iothread"),
                        "blockdeck-engine: -object iothread: Parameter 'id' is missing"),
                Arguments.of(List.of("-object", "iothread,id=1x"),
                        "blockdeck-engine: -object iothread,id=1x: Parameter 'id' expects an identifier\n"
                                + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter."),
                Arguments.of(List.of("-name", "guest=x,foo=y"),
                        "blockdeck-engine: -name guest=x,foo=y: Invalid parameter 'foo'"),
                Arguments.of(List.of("-name", "guest=x,debug-threads=maybe"),
                        "blockdeck-engine: -name guest=x,debug-threads=maybe: Parameter 'debug-threads' expects 'on' or 'off'"),
                Arguments.of(List.of("-name", "=x"), "blockdeck-engine: -name =x: Invalid parameter ''"),
                Arguments.of(List.of("disk.img"),
                        "blockdeck-engine: disk.img: Could not open 'disk.img': disk images on the command line are"
                                + " not supported (use -blockdev)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorsReadLikeQemus(List<String> args, String expected) {
        assertThatThrownBy(() -> EngineOptionParser.parse(args))
                .isInstanceOfSatisfying(OptionError.class, e -> assertThat(e.format("blockdeck-engine")).isEqualTo(expected));
    }

    @Test
    void scenarioFilesAcceptOneOrTwoWordsPerLine() {
        assertThat(ScenarioFile.parse("# demo\n-name demo vm\n\n-M\nnone\n  -S  \n"))
                .containsExactly("-name", "demo vm", "-M", "none", "-S");
    }
}
