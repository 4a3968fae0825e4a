package dev.blockdeck.engine.cli;

import java.util.List;

import dev.blockdeck.engine.Engine;
import dev.blockdeck.engine.EngineStartException;
import dev.blockdeck.engine.EngineVersion;

/** {@code java -jar blockdeck-engine.jar [QEMU-style options]}: runs the engine until {@code quit}. */
public final class EngineMain {
    private EngineMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args)));
    }

    static int run(List<String> args) {
        if (!args.isEmpty() && args.get(0).equals("img")) {
            return dev.blockdeck.engine.img.ImgMain.run(args.subList(1, args.size()), System.out, System.err);
        }
        if (!args.isEmpty() && args.get(0).equals("bench")) {
            try {
                String[] rest = args.subList(1, args.size()).toArray(String[]::new);
                if (rest.length > 0 && rest[0].equals("txn")) {
                    dev.blockdeck.engine.bench.TransactionBench.main(rest);
                } else if (rest.length > 0 && rest[0].equals("graph")) {
                    dev.blockdeck.engine.bench.GraphBench.main(rest);
                } else {
                    dev.blockdeck.engine.bench.QmpBench.main(rest);
                }
                return 0;
            } catch (Exception e) {
                System.err.println(Engine.PROGRAM + ": bench: " + e);
                return 1;
            }
        }
        EngineOptionParser.Result r;
        try {
            r = EngineOptionParser.parse(args);
        } catch (OptionError e) {
            System.err.println(e.format(Engine.PROGRAM));
            return 1;
        }
        switch (r.action()) {
            case HELP -> {
                System.out.print(Usage.TEXT);
                return 0;
            }
            case VERSION -> {
                System.out.println("BlockDeck engine version " + EngineVersion.BLOCKDECK + " (QMP compatible with QEMU "
                        + EngineVersion.MAJOR + "." + EngineVersion.MINOR + "." + EngineVersion.MICRO + ")");
                return 0;
            }
            case MACHINE_HELP -> {
                System.out.println("Supported machines are:");
                System.out.println("none                 empty machine");
                System.out.println("q35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)");
                return 0;
            }
            default -> {
                return runEngine(r.options());
            }
        }
    }

    private static int runEngine(EngineOptions options) {
        if (options.qmp().isEmpty()) {
            System.err.println(Engine.PROGRAM + ": warning: no -qmp option: nothing can talk to this engine");
        }
        Engine engine;
        try {
            engine = Engine.start(options);
        } catch (EngineStartException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "engine-signal"));
        return engine.terminated().join();
    }
}
