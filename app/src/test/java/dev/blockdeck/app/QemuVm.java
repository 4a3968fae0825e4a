package dev.blockdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blockdeck.app.session.PrivateSocketDir;
import dev.blockdeck.qmp.client.QmpClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code qemu-system-x86_64} for tests, with two QMP monitors in a short private directory:
 * {@link #socket()} for the app under test, and a control connection the test uses to set up and check.
 */
final class QemuVm implements AutoCloseable {

    static final String BINARY = "qemu-system-x86_64";

    private final PrivateSocketDir dir;
    private final Process process;
    private final QmpClient control;

    private QemuVm(PrivateSocketDir dir, Process process, QmpClient control) {
        this.dir = dir;
        this.process = process;
        this.control = control;
    }

    /** True when QEMU and qemu-img run here. */
    static boolean available() {
        return runs(BINARY, "--version") && runs("qemu-img", "--version");
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts QEMU with {@code args}, where {@code $DIR} stands for the private directory (for images made
     * with {@link #image} beforehand by {@code images}).
     */
    static QemuVm start(List<String[]> images, List<String> args) throws Exception {
        PrivateSocketDir dir = PrivateSocketDir.create();
        try {
            for (String[] image : images) {
                List<String> cmd = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2"));
                if (image.length > 2) {
                    cmd.addAll(List.of("-b", dir.resolve(image[2]).toString(), "-F", "qcow2"));
                }
                cmd.add(dir.resolve(image[0]).toString());
                cmd.add(image[1]);
                Process p = new ProcessBuilder(cmd).inheritIO().start();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("qemu-img failed: " + cmd);
                }
            }
            List<String> cmd = new ArrayList<>(List.of(BINARY, "-nodefaults", "-display", "none"));
            args.forEach(a -> cmd.add(a.replace("$DIR", dir.path().toString())));
            cmd.addAll(List.of("-qmp", "unix:" + dir.resolve("vm.sock") + ",server=on,wait=off",
                    "-qmp", "unix:" + dir.resolve("ctl.sock") + ",server=on,wait=off"));
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu.log").toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(dir.resolve("ctl.sock")) || !Files.exists(dir.resolve("vm.sock"))) {
                if (!process.isAlive() || System.nanoTime() > end) {
                    process.destroyForcibly();
                    throw new IOException("QEMU did not start: " + Files.readString(dir.resolve("qemu.log")));
                }
                Thread.sleep(20);
            }
            QmpClient control = QmpClient.connect(dir.resolve("ctl.sock")).get(10, TimeUnit.SECONDS);
            control.negotiate().get(10, TimeUnit.SECONDS);
            return new QemuVm(dir, process, control);
        } catch (Exception | Error e) {
            dir.close();
            throw e;
        }
    }

    /** An image spec for {@link #start}: name, size, optional backing image name. */
    static String[] image(String... nameSizeBacking) {
        return nameSizeBacking;
    }

    Path socket() {
        return dir.resolve("vm.sock");
    }

    Path dir() {
        return dir.path();
    }

    /** Runs a command on the control monitor; {@code argumentsJson} may be null. */
    JsonNode execute(String command, String argumentsJson) throws Exception {
        ObjectNode args = argumentsJson == null ? null
                : (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(argumentsJson);
        return control.execute(command, args).get(10, TimeUnit.SECONDS);
    }

    List<String> namedNodes() throws Exception {
        List<String> names = new ArrayList<>();
        ObjectNode flat = JsonNodeFactory.instance.objectNode().put("flat", true);
        control.execute("query-named-block-nodes", flat).get(10, TimeUnit.SECONDS)
                .forEach(n -> names.add(n.path("node-name").asText()));
        return names;
    }

    @Override
    public void close() {
        try {
            control.execute("quit").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // it may be gone already
        }
        control.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        dir.close();
    }
}
