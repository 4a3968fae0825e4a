package dev.blockdeck.app;

import dev.blockdeck.engine.Engine;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layering rules, checked on the compiled classes (every type a class mentions is in its constant pool):
 * <ul>
 *   <li>the engine uses no JavaFX;</li>
 *   <li>views, controllers and the application classes reach the VM only through ViewModels: no
 *       {@code dev.blockdeck.qmp.client}, no {@code dev.blockdeck.engine}, and views no {@code app.session};</li>
 *   <li>ViewModels do not start engines (only {@code app.session} does) and use no scene graph;</li>
 *   <li>{@code app.session}, {@code app.model} (VmModel), {@code app.txn} (transaction actions and traces),
 *       {@code app.move} (drive moves and re-plug plans), {@code app.io} (I/O rates, guest workloads),
 *       {@code app.settings} (remembered state) and {@code app.layout} (ELK) are plain Java: no JavaFX; model, txn,
 *       move, io, settings and layout talk no QMP client and start no engine either.</li>
 * </ul>
 */
class ArchitectureTest {

    private static final String APP = "dev/blockdeck/app/";
    private static final String QMP_CLIENT = "dev/blockdeck/qmp/client/";
    private static final String ENGINE = "dev/blockdeck/engine/";
    private static final String JAVAFX = "javafx/";

    @Test
    void engineHasNoJavafx() throws Exception {
        Map<String, Set<String>> classes = classesAt(Engine.class);
        assertThat(classes).as("engine classes found").containsKey("dev/blockdeck/engine/Engine");
        assertThat(offenders(classes, name -> true, JAVAFX)).isEmpty();
    }

    @Test
    void viewsAndControllersDoNotTalkQmpOrEngine() throws Exception {
        Map<String, Set<String>> classes = appClasses();
        assertThat(classes).containsKey(APP + "view/ConsoleController");
        var uiSide = (java.util.function.Predicate<String>) name -> !name.startsWith(APP + "viewmodel/")
                && !name.startsWith(APP + "session/");
        assertThat(offenders(classes, uiSide, QMP_CLIENT)).isEmpty();
        assertThat(offenders(classes, uiSide, ENGINE)).isEmpty();
        // views reach a session only through their ViewModels (MainApp, which makes the launcher, may name it)
        var views = (java.util.function.Predicate<String>) name -> name.startsWith(APP + "view/");
        assertThat(classes).containsKey(APP + "view/InspectorController").containsKey(APP + "view/QmpConsoleController")
                .containsKey(APP + "view/TransactionController");
        assertThat(offenders(classes, views, APP + "session/")).isEmpty();
    }

    @Test
    void viewModelsUseSessionsAndNoSceneGraph() throws Exception {
        Map<String, Set<String>> classes = appClasses();
        var viewModels = (java.util.function.Predicate<String>) name -> name.startsWith(APP + "viewmodel/");
        assertThat(offenders(classes, viewModels, ENGINE)).isEmpty();
        assertThat(offenders(classes, viewModels, "javafx/scene/")).isEmpty();
        assertThat(offenders(classes, viewModels, "javafx/fxml/")).isEmpty();
    }

    @Test
    void sessionsArePlainJava() throws Exception {
        var sessions = (java.util.function.Predicate<String>) name -> name.startsWith(APP + "session/");
        assertThat(offenders(appClasses(), sessions, JAVAFX)).isEmpty();
    }

    @Test
    void modelAndLayoutArePlainJava() throws Exception {
        Map<String, Set<String>> classes = appClasses();
        assertThat(classes).containsKey(APP + "model/VmModel").containsKey(APP + "layout/LaneLayouter")
                .containsKey(APP + "txn/TxnAction").containsKey(APP + "move/MovePlanner");
        assertThat(classes).containsKey(APP + "io/IoSampler").containsKey(APP + "settings/SettingsStore");
        var plain = (java.util.function.Predicate<String>) name -> name.startsWith(APP + "model/")
                || name.startsWith(APP + "layout/") || name.startsWith(APP + "txn/") || name.startsWith(APP + "move/")
                || name.startsWith(APP + "io/") || name.startsWith(APP + "settings/");
        assertThat(offenders(classes, plain, JAVAFX)).isEmpty();
        assertThat(offenders(classes, plain, QMP_CLIENT)).isEmpty();
        assertThat(offenders(classes, plain, ENGINE)).isEmpty();
    }

    /** The rule checker itself must see references, or the rules above prove nothing. */
    @Test
    void checkerSeesReferences() throws Exception {
        Map<String, Set<String>> classes = appClasses();
        assertThat(classes.get(APP + "session/QmpSession")).contains(QMP_CLIENT + "QmpClient");
        assertThat(classes.get(APP + "MainApp")).contains("javafx/application/Application");
        assertThat(classes.get(APP + "view/ConsoleController")).contains(APP + "viewmodel/ConsoleViewModel");
        assertThat(classes.get(APP + "viewmodel/LayoutTask")).contains("javafx/concurrent/Task");
        assertThat(classes.get(APP + "layout/ElkPieces")).anyMatch(r -> r.startsWith("org/eclipse/elk/"));
    }

    private static Map<String, Set<String>> appClasses() throws Exception {
        Map<String, Set<String>> all = classesAt(MainApp.class);
        all.keySet().removeIf(name -> !name.startsWith(APP));
        return all;
    }

    /** "class -> referenced names" for every offending class, e.g. {@code {view/X -> [javafx/...]}}. */
    private static Map<String, Set<String>> offenders(Map<String, Set<String>> classes,
                                                      java.util.function.Predicate<String> which, String forbidden) {
        Map<String, Set<String>> bad = new TreeMap<>();
        classes.forEach((name, refs) -> {
            if (which.test(name)) {
                Set<String> hits = new TreeSet<>();
                for (String ref : refs) {
                    if (ref.contains(forbidden)) {
                        hits.add(ref);
                    }
                }
                if (!hits.isEmpty()) {
                    bad.put(name, hits);
                }
            }
        });
        return bad;
    }

    /** All classes in the directory or jar {@code anchor} was loaded from, with their constant-pool strings. */
    private static Map<String, Set<String>> classesAt(Class<?> anchor) throws IOException, URISyntaxException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Set<String>> result = new TreeMap<>();
        if (Files.isDirectory(root)) {
            scan(root, result);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                scan(jar.getPath("/"), result);
            }
        }
        return result;
    }

    private static void scan(Path root, Map<String, Set<String>> into) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.startsWith("META-INF/")) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(p)) {
                    into.put(rel.substring(0, rel.length() - ".class".length()), constantPoolStrings(in));
                }
            }
        }
    }

    /** The UTF-8 constants of a class file: class names, descriptors and signatures are among them. */
    static Set<String> constantPoolStrings(InputStream raw) {
        try {
            DataInputStream in = new DataInputStream(raw);
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            List<String> strings = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> strings.add(in.readUTF());
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            return new TreeSet<>(strings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
