package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.session.WireMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire trace's ViewModel without a screen; batching through a manual FX executor. */
class WireTraceViewModelTest {

    private static WireMessage sent(String json) {
        return new WireMessage(Instant.now(), WireMessage.Direction.SENT, json, "");
    }

    private static WireMessage received(String json) {
        return new WireMessage(Instant.now(), WireMessage.Direction.RECEIVED, json, "");
    }

    @Test
    void messagesInOrderOneFxTaskPerBurstAndAFilter() {
        List<Runnable> fxTasks = new ArrayList<>();
        Executor fx = fxTasks::add;
        FakeSession s = new FakeSession();
        WireTraceViewModel vm = new WireTraceViewModel(fx);
        vm.attach(s);
        s.wire(new WireMessage(Instant.now(), WireMessage.Direction.RECEIVED, "{\"QMP\": {}}", "greeting"));
        s.wire(sent("{\"execute\": \"qmp_capabilities\", \"id\": 1}"));
        s.wire(received("{\"return\": {}, \"id\": 1}"));
        assertThat(fxTasks).hasSize(1);
        assertThat(vm.all()).isEmpty();
        fxTasks.remove(0).run();

        assertThat(vm.shown()).extracting(WireTraceViewModel.Entry::arrow, WireTraceViewModel.Entry::json)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("←", "{\"QMP\": {}}"),
                        org.assertj.core.groups.Tuple.tuple("→", "{\"execute\": \"qmp_capabilities\", \"id\": 1}"),
                        org.assertj.core.groups.Tuple.tuple("←", "{\"return\": {}, \"id\": 1}"));
        assertThat(vm.shown().get(0).note()).isEqualTo("greeting");

        vm.filterProperty().set("CAPABILITIES");
        assertThat(vm.shown()).hasSize(1);
        assertThat(vm.shownAsText()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} → \\{\"execute\": \"qmp_capabilities\", \"id\": 1}\n");
        vm.filterProperty().set("");
        assertThat(vm.shown()).hasSize(3);
    }

    @Test
    void theTraceIsBounded() {
        FakeSession s = new FakeSession();
        WireTraceViewModel vm = new WireTraceViewModel(Runnable::run);
        vm.attach(s);
        for (int i = 0; i < WireTraceViewModel.MAX_ENTRIES + 10; i++) {
            s.wire(sent("{\"id\": " + i + "}"));
        }
        assertThat(vm.all()).hasSize(WireTraceViewModel.MAX_ENTRIES);
        assertThat(vm.all().get(0).json()).isEqualTo("{\"id\": 10}");
    }
}
