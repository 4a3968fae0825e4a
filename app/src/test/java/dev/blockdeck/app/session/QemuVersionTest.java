package dev.blockdeck.app.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QemuVersionTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsARealQemuGreeting() throws Exception {
        var greeting = json.readTree("""
                {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u6"},
                 "capabilities": ["oob"]}""");
        QemuVersion v = QemuVersion.fromGreeting(greeting);
        assertThat(v).isEqualTo(new QemuVersion(7, 2, 0, "Debian 1:7.2+dfsg-7+deb12u6"));
        assertThat(v.display()).isEqualTo("QEMU 7.2.0 (Debian 1:7.2+dfsg-7+deb12u6)");
    }

    @Test
    void emptyPackageIsLeftOut() throws Exception {
        var greeting = json.readTree("""
                {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}""");
        assertThat(QemuVersion.fromGreeting(greeting).display()).isEqualTo("QEMU 7.2.22");
    }

    @Test
    void greetingWithoutVersionIsRefused() throws Exception {
        assertThatThrownBy(() -> QemuVersion.fromGreeting(json.readTree("{\"capabilities\": []}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
