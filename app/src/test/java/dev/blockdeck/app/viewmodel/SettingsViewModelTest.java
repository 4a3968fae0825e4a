package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.settings.RecentConnection;
import dev.blockdeck.app.settings.SettingsStore;
import dev.blockdeck.app.settings.Theme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's remembered state: every change is on disk at once; recent connections reconnect. */
class SettingsViewModelTest {

    @TempDir
    Path dir;

    @Test
    void aThemeChangeIsWrittenAtOnce() {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        SettingsViewModel vm = new SettingsViewModel(store);
        assertThat(vm.themeProperty().get()).isEqualTo(Theme.LIGHT);
        vm.toggleTheme();
        assertThat(new SettingsStore(store.file()).load().theme()).isEqualTo(Theme.DARK);
        assertThat(new SettingsViewModel(new SettingsStore(store.file())).themeProperty().get()).isEqualTo(Theme.DARK);
    }

    @Test
    void connectedSessionsGoToTheTopAndReconnect() {
        SettingsViewModel vm = new SettingsViewModel(new SettingsStore(dir.resolve("settings.json")));
        List<RecentConnection> opened = new ArrayList<>();
        vm.setOpener(opened::add);
        vm.connected(RecentConnection.scenario("demo"));
        vm.connected(RecentConnection.attach("/run/vm.sock"));
        vm.connected(RecentConnection.scenario("demo"));
        assertThat(vm.recent()).containsExactly(RecentConnection.scenario("demo"), RecentConnection.attach("/run/vm.sock"));
        vm.open(vm.recent().get(1));
        assertThat(opened).containsExactly(RecentConnection.attach("/run/vm.sock"));
        vm.forget(RecentConnection.scenario("demo"));
        assertThat(new SettingsStore(dir.resolve("settings.json")).load().recent())
                .containsExactly(RecentConnection.attach("/run/vm.sock"));
    }

    @Test
    void twoConsolesAtOnceKeepEachOthersRecentSessions() {
        SettingsViewModel first = new SettingsViewModel(new SettingsStore(dir.resolve("settings.json")));
        SettingsViewModel second = new SettingsViewModel(new SettingsStore(dir.resolve("settings.json")));
        first.connected(RecentConnection.scenario("demo"));
        second.connected(RecentConnection.attach("/run/vm.sock"));
        second.toggleTheme();
        first.connected(RecentConnection.scenario("database"));
        assertThat(new SettingsStore(dir.resolve("settings.json")).load().recent()).containsExactly(
                RecentConnection.scenario("database"), RecentConnection.attach("/run/vm.sock"),
                RecentConnection.scenario("demo"));
        assertThat(new SettingsStore(dir.resolve("settings.json")).load().theme()).isEqualTo(Theme.DARK);
        assertThat(first.recent()).hasSize(3);
    }

    @Test
    void aFileThatCannotBeWrittenIsReportedNotThrown() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        SettingsViewModel vm = new SettingsViewModel(new SettingsStore(blocker.resolve("settings.json")));
        vm.toggleTheme();
        assertThat(vm.themeProperty().get()).isEqualTo(Theme.DARK);
        assertThat(vm.problemProperty().get()).startsWith("Could not save the settings to " + blocker.resolve("settings.json"));
    }

    @Test
    void aCorruptFileIsReported() throws Exception {
        Files.writeString(dir.resolve("settings.json"), "{oops");
        SettingsViewModel vm = new SettingsViewModel(new SettingsStore(dir.resolve("settings.json")));
        assertThat(vm.themeProperty().get()).isEqualTo(Theme.LIGHT);
        assertThat(vm.problemProperty().get()).contains("not readable JSON");
    }
}
