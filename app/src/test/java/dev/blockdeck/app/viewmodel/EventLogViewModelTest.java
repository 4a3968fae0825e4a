package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.model.Recording;
import dev.blockdeck.app.viewmodel.EventLogViewModel.Entry;
import dev.blockdeck.qmp.QmpEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** The event log's ViewModel without a screen. */
class EventLogViewModelTest {

    private static final Executor DIRECT = Runnable::run;

    private static QmpEvent event(String name, String data, long seconds, long micros) throws Exception {
        return new QmpEvent(name, data == null ? Recording.JSON.createObjectNode() : Recording.JSON.readTree(data), seconds, micros);
    }

    @Test
    void everyEventWithTheVmsTimeNameAndData() throws Exception {
        FakeSession s = new FakeSession();
        EventLogViewModel vm = new EventLogViewModel(DIRECT);
        vm.attach(s);
        s.emit(event("STOP", null, 1795551583, 992745));
        s.emit(event("BLOCK_JOB_COMPLETED", "{\"device\": \"job0\", \"len\": 1048576, \"type\": \"backup\"}", 1795551584, 5));
        s.emit(event("RESUME", null, 1795551585, 0));

        String time = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault())
                .format(Instant.ofEpochSecond(1795551583, 992745000));
        assertThat(vm.shown()).extracting(Entry::time, Entry::name, Entry::data).first()
                .isEqualTo(org.assertj.core.groups.Tuple.tuple(time, "STOP", ""));
        assertThat(vm.shown().get(1).data()).isEqualTo("{\"device\": \"job0\", \"len\": 1048576, \"type\": \"backup\"}");
        assertThat(vm.shown().get(1).time()).endsWith(".000005");
        assertThat(vm.names()).containsExactly(EventLogViewModel.ALL, "BLOCK_JOB_COMPLETED", "RESUME", "STOP");
    }

    @Test
    void filtersByNameAndByText() throws Exception {
        FakeSession s = new FakeSession();
        EventLogViewModel vm = new EventLogViewModel(DIRECT);
        vm.attach(s);
        s.emit(event("STOP", null, 1, 0));
        s.emit(event("BLOCK_JOB_READY", "{\"device\": \"mirror0\"}", 2, 0));
        s.emit(event("BLOCK_JOB_COMPLETED", "{\"device\": \"backup1\"}", 3, 0));
        s.emit(event("RESUME", null, 4, 0));

        vm.nameFilterProperty().set("STOP");
        assertThat(vm.shown()).extracting(Entry::name).containsExactly("STOP");
        vm.nameFilterProperty().set(EventLogViewModel.ALL);
        vm.textFilterProperty().set("  job ");
        assertThat(vm.shown()).extracting(Entry::name).containsExactly("BLOCK_JOB_READY", "BLOCK_JOB_COMPLETED");
        vm.textFilterProperty().set("MIRROR");
        assertThat(vm.shown()).extracting(Entry::name).containsExactly("BLOCK_JOB_READY");
        vm.nameFilterProperty().set("BLOCK_JOB_COMPLETED");
        assertThat(vm.shown()).isEmpty();
        vm.textFilterProperty().set("");
        assertThat(vm.shown()).extracting(Entry::name).containsExactly("BLOCK_JOB_COMPLETED");
        // new events obey the filter too
        s.emit(event("BLOCK_JOB_COMPLETED", "{\"device\": \"b2\"}", 5, 0));
        s.emit(event("STOP", null, 6, 0));
        assertThat(vm.shown()).hasSize(2);
        assertThat(vm.all()).hasSize(6);
        vm.clear();
        assertThat(vm.shown()).isEmpty();
    }

    @Test
    void aDetachedSessionIsNoLongerLogged() throws Exception {
        FakeSession s = new FakeSession();
        EventLogViewModel vm = new EventLogViewModel(DIRECT);
        vm.attach(s);
        vm.detach("gone");
        s.emit(event("STOP", null, 1, 0));
        assertThat(vm.all()).isEmpty();
    }
}
