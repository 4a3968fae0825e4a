package dev.blockdeck.app.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The remembered state on disk: round trip, what a damaged file gives, where the file is. */
class SettingsStoreTest {

    @TempDir
    Path dir;

    private static final Settings FULL = new Settings(new WindowBounds(40, 30, 1280, 800, true), Theme.DARK,
            0.55, 0.7, "ioTab", List.of(RecentConnection.attach("/run/vm.sock"), RecentConnection.scenario("demo")));

    @Test
    void roundTrip() throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("sub/settings.json"));
        store.save(FULL);
        Settings back = new SettingsStore(dir.resolve("sub/settings.json")).load();
        assertThat(back).isEqualTo(FULL);
        assertThat(Files.readString(dir.resolve("sub/settings.json"))).contains("\"theme\" : \"dark\"")
                .contains("\"kind\" : \"attach\"");
        // no temporary file is left behind
        try (var files = Files.list(dir.resolve("sub"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("settings.json");
        }
    }

    @Test
    void defaultsRoundTripToo() throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        store.save(Settings.DEFAULTS);
        assertThat(store.load()).isEqualTo(Settings.DEFAULTS);
        assertThat(store.problem()).isNull();
    }

    @Test
    void noFileGivesTheDefaults() {
        SettingsStore store = new SettingsStore(dir.resolve("missing/settings.json"));
        assertThat(store.load()).isEqualTo(Settings.DEFAULTS);
        assertThat(store.problem()).isNull();
    }

    @Test
    void aCorruptFileGivesTheDefaultsAndSaysSo() throws Exception {
        Path file = dir.resolve("settings.json");
        for (String junk : List.of("{\"theme\": \"dark\", \"window\": {", "\u0000\u0001binary", "[1, 2, 3]", "42", "")) {
            Files.writeString(file, junk, StandardCharsets.UTF_8);
            SettingsStore store = new SettingsStore(file);
            assertThat(store.load()).as(junk).isEqualTo(Settings.DEFAULTS);
            assertThat(store.problem()).as(junk).contains(file.toString()).contains("defaults");
        }
    }

    @Test
    void aWrongMemberFallsBackAloneTheRestIsKept() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, """
                {"theme": "purple", "window": {"x": 1, "y": 2, "width": 50, "height": 9000},
                 "dividers": {"main": 1.7, "graph": 0.3}, "lastTab": 7,
                 "recent": [{"kind": "attach", "target": "/a.sock"}, {"kind": "teleport", "target": "x"},
                            {"kind": "scenario", "target": ""}, {"kind": "scenario", "target": "test-202"},
                            {"kind": "attach", "target": "/a.sock"}]}""");
        SettingsStore store = new SettingsStore(file);
        Settings s = store.load();
        assertThat(s.theme()).isEqualTo(Theme.LIGHT);
        assertThat(s.window()).as("a 50-pixel-wide window is not restored").isNull();
        assertThat(s.mainDivider()).isNaN();
        assertThat(s.graphDivider()).isEqualTo(0.3);
        assertThat(s.lastTab()).isNull();
        assertThat(s.recent()).containsExactly(RecentConnection.attach("/a.sock"), RecentConnection.scenario("test-202"));
        assertThat(store.problem()).contains("theme", "window", "a recent entry");
    }

    @Test
    void recentIsNewestFirstWithoutRepeatsAndBounded() {
        Settings s = Settings.DEFAULTS;
        for (int i = 0; i < 12; i++) {
            s = s.withRecent(RecentConnection.scenario("s" + i));
        }
        s = s.withRecent(RecentConnection.scenario("s9"));
        assertThat(s.recent()).hasSize(Settings.MAX_RECENT);
        assertThat(s.recent().get(0)).isEqualTo(RecentConnection.scenario("s9"));
        assertThat(s.recent()).doesNotHaveDuplicates();
        assertThat(s.recent()).extracting(RecentConnection::target).containsExactly("s9", "s11", "s10", "s8", "s7", "s6", "s5", "s4");
        assertThat(s.withoutRecent(RecentConnection.scenario("s11")).recent()).hasSize(Settings.MAX_RECENT - 1);
    }

    @Test
    void whereTheFileIs() {
        Properties props = new Properties();
        props.setProperty("user.home", "/home/ann");
        assertThat(SettingsStore.defaultFile(props, Map.of())).isEqualTo(Path.of("/home/ann/.config/blockdeck/settings.json"));
        assertThat(SettingsStore.defaultFile(props, Map.of("XDG_CONFIG_HOME", "/xdg")))
                .isEqualTo(Path.of("/xdg/blockdeck/settings.json"));
        assertThat(SettingsStore.defaultFile(props, Map.of("XDG_CONFIG_HOME", "relative/dir")))
                .as("a relative XDG_CONFIG_HOME is ignored, as the spec says")
                .isEqualTo(Path.of("/home/ann/.config/blockdeck/settings.json"));
        props.setProperty(SettingsStore.DIR_PROPERTY, "/tmp/bd-test");
        assertThat(SettingsStore.defaultFile(props, Map.of("XDG_CONFIG_HOME", "/xdg")))
                .isEqualTo(Path.of("/tmp/bd-test/settings.json"));
    }

    @Test
    void labels() {
        assertThat(RecentConnection.scenario("demo").label()).isEqualTo("Scenario demo");
        assertThat(RecentConnection.attach("/run/vm.sock").label()).isEqualTo("Attach /run/vm.sock");
        assertThat(Theme.LIGHT.toggled()).isEqualTo(Theme.DARK);
        assertThat(Theme.DARK.toggled()).isEqualTo(Theme.LIGHT);
    }
}
