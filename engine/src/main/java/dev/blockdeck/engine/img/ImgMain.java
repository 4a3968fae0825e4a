package dev.blockdeck.engine.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code blockdeck-engine.jar img create|info|check|bench|bench-compare}: a qemu-img work-alike over the BlockDeck
 * qcow2 core (same options, same output, same exit codes for what it implements).
 */
public final class ImgMain {
    static final String PROG = "img";

    private ImgMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println(PROG + ": Not enough arguments");
            err.println("Try '" + PROG + " --help' for more information");
            return 1;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            switch (args.get(0)) {
                case "create":
                    return new ImgCreate(out, err).run(rest);
                case "info":
                    return new ImgInfo(out, err).run(rest);
                case "check":
                    return new ImgCheck(out, err).run(rest);
                case "bench":
                    return new ImgBench(out, err).run(rest);
                case "bench-compare":
                    return BenchCompare.run(rest, out, err);
                case "--help":
                case "-h":
                    out.println("usage: " + PROG + " create|info|check|bench|bench-compare [options]");
                    return 0;
                default:
                    err.println(PROG + ": Command not found: " + args.get(0));
                    return 1;
            }
        } catch (UsageError e) {
            err.println(PROG + ": " + e.getMessage());
            return 1;
        }
    }

    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String m) {
            super(m);
        }
    }

    /** Minimal getopt: options with values, flags, long options with '='. */
    static final class Args {
        final Map<String, List<String>> opts = new LinkedHashMap<>();
        final List<String> positional = new ArrayList<>();

        static Args parse(List<String> a, String withValue, String flags, List<String> longWithValue,
                List<String> longFlags) {
            Args r = new Args();
            for (int i = 0; i < a.size(); i++) {
                String s = a.get(i);
                if (s.startsWith("--") && s.length() > 2) {
                    String name = s.substring(2);
                    String val = null;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        val = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    }
                    if (longWithValue.contains(name)) {
                        if (val == null) {
                            if (i + 1 >= a.size()) {
                                throw new UsageError("option '--" + name + "' requires an argument");
                            }
                            val = a.get(++i);
                        }
                        r.opts.computeIfAbsent("--" + name, k -> new ArrayList<>()).add(val);
                    } else if (longFlags.contains(name)) {
                        r.opts.computeIfAbsent("--" + name, k -> new ArrayList<>()).add("");
                    } else {
                        throw new UsageError("unrecognized option '" + s + "'");
                    }
                } else if (s.startsWith("-") && s.length() > 1) {
                    for (int j = 1; j < s.length(); j++) {
                        char c = s.charAt(j);
                        if (withValue.indexOf(c) >= 0) {
                            String val = j + 1 < s.length() ? s.substring(j + 1) : null;
                            if (val == null) {
                                if (i + 1 >= a.size()) {
                                    throw new UsageError("option requires an argument -- '" + c + "'");
                                }
                                val = a.get(++i);
                            }
                            r.opts.computeIfAbsent("-" + c, k -> new ArrayList<>()).add(val);
                            break;
                        } else if (flags.indexOf(c) >= 0) {
                            r.opts.computeIfAbsent("-" + c, k -> new ArrayList<>()).add("");
                        } else {
                            throw new UsageError("invalid option -- '" + c + "'");
                        }
                    }
                } else {
                    r.positional.add(s);
                }
            }
            return r;
        }

        String get(String k) {
            List<String> v = opts.get(k);
            return v == null ? null : v.get(v.size() - 1);
        }

        boolean has(String k) {
            return opts.containsKey(k);
        }
    }

    static String ioMessage(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
