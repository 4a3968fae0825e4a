package dev.blockdeck.app.viewmodel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.app.model.Completer;
import dev.blockdeck.app.model.Recording;
import dev.blockdeck.app.viewmodel.QmpConsoleViewModel.Entry;
import dev.blockdeck.app.viewmodel.QmpConsoleViewModel.Kind;
import dev.blockdeck.qmp.QmpCommandException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** The QMP console tab's ViewModel without a screen: direct executors, a fake session. */
class QmpConsoleViewModelTest {

    private static final Executor DIRECT = Runnable::run;

    private final FakeSession session = new FakeSession();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private QmpConsoleViewModel vm;

    private static JsonNode schema() throws Exception {
        try (InputStream in = Recording.class.getResourceAsStream("qemu72-schema.json")) {
            return Recording.JSON.readTree(in).get("return");
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        JsonNode schema = schema();
        session.commands = (command, args) -> {
            sent.add(args == null ? command : command + " " + args);
            return switch (command) {
                case "query-qmp-schema" -> CompletableFuture.completedFuture(schema);
                case "query-name" -> CompletableFuture.completedFuture(Recording.JSON.createObjectNode().put("name", "vm1"));
                case "qom-set" -> CompletableFuture.failedFuture(new QmpCommandException("GenericError",
                        "poll-max-ns value must be in range [0, 9223372036854775807]"));
                default -> CompletableFuture.failedFuture(new QmpCommandException("CommandNotFound",
                        "The command " + command + " has not been found"));
            };
        };
        vm = new QmpConsoleViewModel(DIRECT);
        vm.attach(session);
    }

    private Entry last() {
        return vm.transcript().get(vm.transcript().size() - 1);
    }

    private void run(String line) {
        vm.inputProperty().set(line);
        vm.submit();
    }

    @Test
    void aCommandAndItsAnswerPrettyPrinted() {
        assertThat(vm.connectedProperty().get()).isTrue();
        assertThat(vm.schemaSummaryProperty().get()).isEqualTo("216 commands (from query-qmp-schema)");
        run("query-name");
        assertThat(vm.inputProperty().get()).isEmpty();
        assertThat(sent).containsExactly("query-qmp-schema", "query-name");
        List<Entry> t = vm.transcript();
        assertThat(t.get(t.size() - 2)).extracting(Entry::kind, Entry::title, Entry::body)
                .containsExactly(Kind.COMMAND, "→ query-name", "{\"execute\": \"query-name\"}");
        assertThat(last().kind()).isEqualTo(Kind.RETURN);
        assertThat(last().title()).matches("← return · \\d+ ms");
        assertThat(last().body()).isEqualTo("{\n  \"name\": \"vm1\"\n}");
    }

    @Test
    void errorsAreTheirOwnKindWithClassAndDesc() {
        run("qom-set path=/objects/io0 property=poll-max-ns value=-1");
        assertThat(sent).contains("qom-set {\"path\":\"/objects/io0\",\"property\":\"poll-max-ns\",\"value\":-1}");
        assertThat(last().kind()).isEqualTo(Kind.ERROR);
        assertThat(last().title()).startsWith("← error · GenericError");
        assertThat(last().body()).isEqualTo("{\n  \"class\": \"GenericError\",\n"
                + "  \"desc\": \"poll-max-ns value must be in range [0, 9223372036854775807]\"\n}");
    }

    @Test
    void anUnreadableLineIsNotSent() {
        run("qom-get path");
        assertThat(sent).containsExactly("query-qmp-schema");
        assertThat(last()).extracting(Entry::kind, Entry::body)
                .containsExactly(Kind.INVALID, "qom-get path\nExpected key=value, got 'path'");
    }

    @Test
    void historyWalksBackAndForthAndKeepsTheDraft() {
        run("query-name");
        run("query-status");
        run("query-status");
        assertThat(vm.history()).containsExactly("query-name", "query-status");
        vm.inputProperty().set("half-typ");
        assertThat(vm.historyPrevious()).isTrue();
        assertThat(vm.inputProperty().get()).isEqualTo("query-status");
        assertThat(vm.historyPrevious()).isTrue();
        assertThat(vm.inputProperty().get()).isEqualTo("query-name");
        assertThat(vm.historyPrevious()).isFalse();
        assertThat(vm.inputProperty().get()).isEqualTo("query-name");
        assertThat(vm.historyNext()).isTrue();
        assertThat(vm.inputProperty().get()).isEqualTo("query-status");
        assertThat(vm.historyNext()).isTrue();
        assertThat(vm.inputProperty().get()).isEqualTo("half-typ");
        assertThat(vm.historyNext()).isFalse();
    }

    @Test
    void completesFromTheVmsSchema() {
        assertThat(vm.complete("query-na")).extracting(Completer.Completion::label)
                .containsExactly("query-name", "query-named-block-nodes");
        assertThat(vm.complete("qom-set path=/objects/io0 ")).extracting(Completer.Completion::text)
                .containsExactly("property=", "value=");
    }

    @Test
    void withoutIntrospectionTheNamesComeFromQueryCommands() {
        FakeSession old = new FakeSession();
        old.commands = (command, args) -> command.equals("query-commands")
                ? CompletableFuture.completedFuture(Recording.JSON.createArrayNode()
                .add(Recording.JSON.createObjectNode().put("name", "query-name"))
                .add(Recording.JSON.createObjectNode().put("name", "stop")))
                : CompletableFuture.failedFuture(new QmpCommandException("CommandNotFound", "nope"));
        QmpConsoleViewModel other = new QmpConsoleViewModel(DIRECT);
        other.attach(old);
        assertThat(other.schemaSummaryProperty().get()).isEqualTo("2 commands (names only, from query-commands)");
        assertThat(other.complete("qu")).extracting(Completer.Completion::label).containsExactly("query-name");
    }

    @Test
    void afterTheSessionIsGoneNothingIsSent() {
        vm.detach("The monitor connection closed.");
        assertThat(last()).extracting(Entry::kind, Entry::title, Entry::body)
                .containsExactly(Kind.NOTE, "Disconnected", "The monitor connection closed.");
        assertThat(vm.complete("query-na")).isEmpty();
        run("query-name");
        assertThat(last()).extracting(Entry::kind, Entry::body).containsExactly(Kind.INVALID, "query-name\nNot connected.");
        assertThat(sent).containsExactly("query-qmp-schema");
    }

    @Test
    void theTranscriptIsBounded() {
        for (int i = 0; i < QmpConsoleViewModel.MAX_ENTRIES; i++) {
            run("x" + i + " y");
        }
        assertThat(vm.transcript()).hasSize(QmpConsoleViewModel.MAX_ENTRIES);
        assertThat(last().body()).startsWith("x" + (QmpConsoleViewModel.MAX_ENTRIES - 1));
        vm.clear();
        assertThat(vm.transcript()).isEmpty();
    }
}
