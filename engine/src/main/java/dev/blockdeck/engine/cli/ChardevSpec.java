package dev.blockdeck.engine.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;

/** The socket a {@code -qmp} option asks for: a listening Unix or TCP socket. */
public record ChardevSpec(Path unixPath, InetSocketAddress tcp, boolean waitForClient, String text) {

    public boolean isUnix() {
        return unixPath != null;
    }

    private static void requireServer(boolean server, String optionText) throws OptionError {
        if (!server) {
            throw new OptionError(optionText, "only server mode is supported: add server=on");
        }
    }

    /** Parses {@code unix:PATH[,server=on][,wait=off]} or {@code tcp:HOST:PORT[,...]}. */
    public static ChardevSpec parse(String text, String optionText) throws OptionError {
        int colon = text.indexOf(':');
        String backend = colon < 0 ? text : text.substring(0, colon);
        if (!backend.equals("unix") && !backend.equals("tcp")) {
            throw new OptionError(optionText, "'" + text + "' is not a valid char driver");
        }
        Map<String, String> kv = KeyValues.parse(text.substring(colon + 1), "path", optionText);
        boolean server = false;
        boolean wait = true;
        for (Map.Entry<String, String> e : kv.entrySet()) {
            switch (e.getKey()) {
                case "path" -> { }
                case "server" -> server = KeyValues.bool("server", e.getValue(), optionText);
                case "wait" -> wait = KeyValues.bool("wait", e.getValue(), optionText);
                case "nowait" -> wait = false;
                default -> throw new OptionError(optionText, "Invalid parameter '" + e.getKey() + "'");
            }
        }
        String addr = kv.get("path");
        if (backend.equals("unix")) {
            if (addr.isEmpty()) {
                throw new OptionError(optionText, "parse error: " + text);
            }
            requireServer(server, optionText);
            return new ChardevSpec(Path.of(addr), null, wait, text);
        }
        int portSep = addr.lastIndexOf(':');
        if (portSep < 0) {
            throw new OptionError(optionText, "parse error: " + text);
        }
        String host = addr.substring(0, portSep);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(addr.substring(portSep + 1));
        } catch (NumberFormatException e) {
            throw new OptionError(optionText, "parse error: " + text);
        }
        if (port < 0 || port > 65535) {
            throw new OptionError(optionText, "parse error: " + text);
        }
        requireServer(server, optionText);
        try {
            InetAddress ia = host.isEmpty() ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(host);
            return new ChardevSpec(null, new InetSocketAddress(ia, port), wait, text);
        } catch (UnknownHostException e) {
            throw new OptionError(optionText, "address resolution failed for " + host + ":" + port
                    + ": Name or service not known");
        }
    }
}
