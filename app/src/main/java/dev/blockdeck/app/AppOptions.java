package dev.blockdeck.app;

import dev.blockdeck.app.session.AttachedSessionLauncher;
import dev.blockdeck.app.session.EmbeddedSessionLauncher;
import dev.blockdeck.app.session.QemuSessionLauncher;
import dev.blockdeck.app.session.Scenario;
import dev.blockdeck.app.session.SessionLauncher;
import dev.blockdeck.app.settings.RecentConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line: {@code [--scenario NAME|FILE] [--qemu[=BINARY]] | [--attach QMP_SOCKET]}. Without options the
 * embedded engine runs the shipped {@code demo} scenario; {@code --qemu} runs the scenario on a real QEMU instead.
 */
record AppOptions(String scenario, Path attach, String qemu) {

    AppOptions(String scenario, Path attach) {
        this(scenario, attach, null);
    }

    static final String USAGE = """
            Usage: blockdeck [--scenario NAME|FILE] [--attach QMP_SOCKET]
              --scenario NAME|FILE  run the embedded engine on a shipped scenario (demo, database, stress-1000, test-202) or an .args file
              --attach QMP_SOCKET   connect to a running QEMU's QMP Unix socket instead (-qmp unix:PATH,server=on,wait=off)
            """;

    static AppOptions parse(List<String> args) {
        String scenario = Scenario.DEFAULT;
        Path attach = null;
        String qemu = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--scenario", "-scenario" -> scenario = value(args, ++i, a);
                case "--attach", "-attach" -> attach = Path.of(value(args, ++i, a));
                case "--qemu", "-qemu" -> qemu = QemuSessionLauncher.DEFAULT_BINARY;
                default -> {
                    if (a.startsWith("--scenario=")) {
                        scenario = a.substring("--scenario=".length());
                    } else if (a.startsWith("--qemu=")) {
                        qemu = a.substring("--qemu=".length());
                    } else if (a.startsWith("--attach=")) {
                        attach = Path.of(a.substring("--attach=".length()));
                    } else {
                        throw new IllegalArgumentException("Unknown option " + a + "\n" + USAGE);
                    }
                }
            }
        }
        if (attach != null && qemu != null) {
            throw new IllegalArgumentException("--attach and --qemu exclude each other\n" + USAGE);
        }
        return new AppOptions(scenario, attach, qemu);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args.get(i);
    }

    /** The options that reopen a recent connection. */
    static AppOptions of(RecentConnection recent) {
        return recent.kind() == RecentConnection.Kind.ATTACH ? new AppOptions(Scenario.DEFAULT, Path.of(recent.target()))
                : new AppOptions(recent.target(), null);
    }

    /** How these options are remembered: a scenario file by its absolute path, so it reopens from anywhere. */
    RecentConnection recent() {
        if (attach != null) {
            return RecentConnection.attach(attach.toAbsolutePath().toString());
        }
        Path file = Path.of(scenario);
        return RecentConnection.scenario(Files.isRegularFile(file) ? file.toAbsolutePath().toString() : scenario);
    }

    SessionLauncher launcher() throws IOException {
        if (attach != null) {
            return new AttachedSessionLauncher(attach);
        }
        if (qemu != null) {
            return new QemuSessionLauncher(Scenario.load(scenario), qemu);
        }
        return new EmbeddedSessionLauncher(Scenario.load(scenario));
    }
}
